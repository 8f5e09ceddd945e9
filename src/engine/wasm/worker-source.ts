// The worker thread's script, as source text (workers load it by `eval` or a Blob URL, so it works from both the .ts
// sources and the compiled .js). Protocol over the shared control block, Int32 words at ctrl:
//   [0] seq, bumped by the main thread for each job    [1] pending, workers left to finish
//   [2] kernel index   [3] nt   [4] quit   [5] error flag;  Float64 args at ctrl + 32 (ARG_SLOTS).
// Workers with tid >= nt skip the job but still count down `pending`.
export const CTRL_BYTES = 256;
export const ARG_SLOTS = 16;

/** The loop every worker runs; the platform prepends a prelude that defines `init` (a WorkerInit) and `ready()`. */
export const WORKER_LOOP = `
const { module, memory, ctrl, tid, kernels } = init;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = kernels.map((name) => instance.exports[name]);
const word = new Int32Array(memory.buffer, ctrl, 8);
const a = new Float64Array(memory.buffer, ctrl + 32, ${ARG_SLOTS});
let seen = 0;
ready();
for (;;) {
  Atomics.wait(word, 0, seen);
  seen = Atomics.load(word, 0);
  if (Atomics.load(word, 4) !== 0) break;
  const nt = word[3];
  try {
    if (tid < nt) fns[word[2]](tid, nt, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
  } catch (e) {
    Atomics.store(word, 5, 1);
  }
  if (Atomics.sub(word, 1, 1) === 1) Atomics.notify(word, 1);
}
`;
