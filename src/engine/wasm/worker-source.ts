// The worker thread's script, as source text (workers load it by `eval` or a Blob URL, so it works from both the .ts
// sources and the compiled .js). A job is `units` units of one kernel cut into `count` chunks of `grain` units; every
// thread (the main one too) claims chunks from one shared counter until none is left, so a descheduled thread's
// share is taken by the others. Control block at ctrl, Int32 words:
//   [0] seq, bumped by the main thread for each job   [1] done, chunks finished   [2] kernel index   [3] units
//   [4] quit   [5] error flag   [6] grain   [7] count;  Float64 args at ctrl + 32 (ARG_SLOTS);
//   the claim word, a BigUint64 at ctrl + CLAIM_OFFSET: seq << 32 | count << 16 | next chunk.
// A claim succeeds only by compare-and-swap on the whole word while its seq is the job's and next < count, and the
// job's kernel, units, grain and args are read only after it succeeds: the main thread writes them before it
// publishes the claim word and rewrites them only once every claimed chunk is done, so a worker that wakes late
// sees a finished job (next == count) or a newer seq, and never runs a chunk with another job's arguments.
export const CTRL_BYTES = 256;
export const ARG_SLOTS = 16;
export const CLAIM_OFFSET = 32 + 8 * ARG_SLOTS;
/** Chunks per job at most (next and count share 16 bits of the claim word each, with room for the last claim). */
export const MAX_CHUNKS = 4096;

/** The claim protocol, shared by the pool (main thread) and the worker loop: the chunk index claimed, or -1. */
export function claimChunk(claim: BigUint64Array, seq: number): number {
  for (;;) {
    const w = Atomics.load(claim, 0);
    if (Number(w >> 32n) !== seq) return -1;
    const next = Number(w & 0xffffn);
    if (next >= Number((w >> 16n) & 0xffffn)) return -1;
    if (Atomics.compareExchange(claim, 0, w, w + 1n) === w) return next;
  }
}

/** The loop every worker runs; the platform prepends a prelude that defines `init` (a WorkerInit) and `ready()`. */
export const WORKER_LOOP = `
const { module, memory, ctrl, tid, kernels, startDelayMs } = init;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = kernels.map((name) => instance.exports[name]);
const word = new Int32Array(memory.buffer, ctrl, 8);
const a = new Float64Array(memory.buffer, ctrl + 32, ${ARG_SLOTS});
const claim = new BigUint64Array(memory.buffer, ctrl + ${CLAIM_OFFSET}, 1);
const nap = startDelayMs > 0 ? new Int32Array(new SharedArrayBuffer(4)) : null;
const claimChunk = ${claimChunk.toString()};
let seen = 0;
ready();
for (;;) {
  Atomics.wait(word, 0, seen);
  seen = Atomics.load(word, 0);
  if (Atomics.load(word, 4) !== 0) break;
  if (startDelayMs > 0) Atomics.wait(nap, 0, 0, startDelayMs); // tests only: a worker that wakes late
  for (let c = claimChunk(claim, seen >>> 0); c >= 0; c = claimChunk(claim, seen >>> 0)) {
    const units = word[3], grain = word[6];
    try {
      fns[word[2]](tid, c * grain, Math.min(units, (c + 1) * grain), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
    } catch (e) {
      Atomics.store(word, 5, 1);
    }
    if (Atomics.add(word, 1, 1) + 1 === word[7]) Atomics.notify(word, 1);
  }
}
`;
