// Runs one kernel on nt threads: the main thread posts the job into the shared control block, wakes the workers
// (Atomics.notify), does share 0 itself, then sleeps on `pending` until every worker has counted down.
import type { WorkerHandle } from './platform.js';
import { ARG_SLOTS } from './worker-source.js';

// Every kernel export: (tid, nt, ...up to ARG_SLOTS numbers) => void.
type Kernel = (...args: number[]) => void;

export class ThreadPool {
  private readonly word: Int32Array;
  private readonly args: Float64Array;

  constructor(memory: WebAssembly.Memory, ctrl: number, private readonly fns: readonly Kernel[], private readonly workers: readonly WorkerHandle[]) {
    this.word = new Int32Array(memory.buffer, ctrl, 8);
    this.args = new Float64Array(memory.buffer, ctrl + 32, ARG_SLOTS);
  }

  /** Threads available: the main thread plus the workers. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Kernel `k` on min(nt, size) threads with arguments a0.. (unused ones are 0). */
  run(k: number, nt: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0): void {
    const fn = this.fns[k];
    nt = Math.max(1, Math.min(nt, this.size));
    if (nt === 1) {
      fn(0, 1, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
      return;
    }
    const { word, args } = this;
    args[0] = a0; args[1] = a1; args[2] = a2; args[3] = a3; args[4] = a4; args[5] = a5; args[6] = a6;
    args[7] = a7; args[8] = a8; args[9] = a9; args[10] = a10; args[11] = a11; args[12] = a12; args[13] = a13;
    args[14] = a14; args[15] = a15;
    word[2] = k;
    word[3] = nt;
    Atomics.store(word, 1, this.workers.length);
    Atomics.add(word, 0, 1);
    Atomics.notify(word, 0);
    let failed: unknown = null;
    try {
      fn(0, nt, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
    } catch (e) {
      failed = e;
    }
    for (let p = Atomics.load(word, 1); p !== 0; p = Atomics.load(word, 1)) Atomics.wait(word, 1, p);
    if (failed !== null) throw failed;
    if (Atomics.exchange(word, 5, 0) !== 0) throw new Error('wasm engine: a kernel trapped on a worker thread');
  }

  /** Stop the workers (they exit their loop) and terminate them. */
  close(): void {
    Atomics.store(this.word, 4, 1);
    Atomics.add(this.word, 0, 1);
    Atomics.notify(this.word, 0);
    for (const w of this.workers) w.terminate();
  }
}
