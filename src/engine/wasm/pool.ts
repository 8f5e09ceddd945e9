// Runs one kernel over `units` units on the main thread and the workers: the main thread posts the job into the
// shared control block (worker-source.ts), wakes the workers (Atomics.notify), claims chunks itself until none is
// left, then sleeps on `done` only while a chunk that a worker claimed is still running. A worker that has claimed
// nothing is never waited for.
//
// Adaptive: each kernel remembers whether splitting paid off. A split job's time is set against what the calling
// thread alone would have taken (the mean time of the chunks it ran, times the job's chunks); a kernel whose split
// jobs take longer than that (a second core busy with another process, or jobs too small for the hand-off) runs
// inline, and now and then one of its jobs is split again to see whether that still holds: after PROBE_EVERY inline
// jobs at first, the interval doubling (up to PROBE_MAX) while the probes keep losing, since a probe that loses can
// cost a whole time slice of waiting on a worker the OS has descheduled; a probe that pays resets the interval.
// Inline or split, a kernel's result is the same to the bit (threads.test.ts), so the choice changes only the time.
import type { WorkerHandle } from './platform.js';
import { ARG_SLOTS, CLAIM_OFFSET, MAX_CHUNKS, claimChunk } from './worker-source.js';

// Every kernel export: (tid, u0, u1, ...up to ARG_SLOTS numbers) => void, doing units [u0, u1) on thread tid.
type Kernel = (...args: number[]) => void;

/** Chunks run per thread since the pool started (tests read it to see who did the work). */
export interface PoolStats {
  jobs: number;
  chunks: number;
  mainChunks: number;
  /** jobs that could have been split but ran inline because splitting had not paid off for their kernel */
  inlineJobs: number;
}

// An inline kernel's job is split again after PROBE_EVERY inline jobs, the interval doubling to at most PROBE_MAX
// while probes lose; SMOOTHING weighs a job's time ratio into the kernel's.
const PROBE_EVERY = 16;
const PROBE_MAX = 256;
const SMOOTHING = 0.25;

export class ThreadPool {
  private readonly word: Int32Array;
  private readonly args: Float64Array;
  private readonly claim: BigUint64Array;
  private seq = 0;
  readonly stats: PoolStats = { jobs: 0, chunks: 0, mainChunks: 0, inlineJobs: 0 };
  // Per kernel: split time over the calling thread's estimated time alone, smoothed (0 = not measured yet), the
  // jobs run inline since the last split one, and the inline jobs between probes now.
  private readonly splitCost: Float64Array;
  private readonly sinceSplit: Int32Array;
  private readonly probeEvery: Int32Array;

  constructor(
    memory: WebAssembly.Memory,
    ctrl: number,
    private readonly fns: readonly Kernel[],
    private readonly workers: readonly WorkerHandle[],
    /** false: split every job that has more than one chunk (tests of the partitioning) */
    private readonly adaptive = true,
  ) {
    this.word = new Int32Array(memory.buffer, ctrl, 8);
    this.args = new Float64Array(memory.buffer, ctrl + 32, ARG_SLOTS);
    this.claim = new BigUint64Array(memory.buffer, ctrl + CLAIM_OFFSET, 1);
    this.splitCost = new Float64Array(fns.length);
    this.sinceSplit = new Int32Array(fns.length);
    this.probeEvery = new Int32Array(fns.length).fill(PROBE_EVERY);
  }

  /** Threads available: the main thread plus the workers. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Kernel `k` over units [0, units) in chunks of `grain` units, arguments a0.. (unused ones are 0). */
  run(
    k: number,
    units: number,
    grain: number,
    a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0,
    a8 = 0,
    a9 = 0,
    a10 = 0,
    a11 = 0,
    a12 = 0,
    a13 = 0,
    a14 = 0,
    a15 = 0,
  ): void {
    const fn = this.fns[k];
    grain = Math.max(1, grain, Math.ceil(units / MAX_CHUNKS));
    const count = Math.ceil(units / grain);
    const splittable = count > 1 && this.workers.length > 0;
    const unpaid = splittable && this.adaptive && this.splitCost[k] > 1 && ++this.sinceSplit[k] < this.probeEvery[k];
    if (!splittable || unpaid) {
      if (unpaid) this.stats.inlineJobs++;
      fn(0, 0, units, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
      return;
    }
    const probe = this.sinceSplit[k] > 0; // split after inline jobs: a probe of an inline kernel
    this.sinceSplit[k] = 0;
    const start = performance.now();
    let mainMs = 0;
    let mainRan = 0;
    const { word, args } = this;
    args[0] = a0;
    args[1] = a1;
    args[2] = a2;
    args[3] = a3;
    args[4] = a4;
    args[5] = a5;
    args[6] = a6;
    args[7] = a7;
    args[8] = a8;
    args[9] = a9;
    args[10] = a10;
    args[11] = a11;
    args[12] = a12;
    args[13] = a13;
    args[14] = a14;
    args[15] = a15;
    word[2] = k;
    word[3] = units;
    word[6] = grain;
    word[7] = count;
    Atomics.store(word, 1, 0);
    const seq = (this.seq = (this.seq + 1) >>> 0);
    Atomics.store(this.claim, 0, (BigInt(seq) << 32n) | (BigInt(count) << 16n));
    Atomics.store(word, 0, seq | 0);
    Atomics.notify(word, 0);
    let failed: unknown = null;
    for (let c = claimChunk(this.claim, seq); c >= 0; c = claimChunk(this.claim, seq)) {
      const t0 = performance.now();
      try {
        if (failed === null)
          fn(
            0,
            c * grain,
            Math.min(units, (c + 1) * grain),
            a0,
            a1,
            a2,
            a3,
            a4,
            a5,
            a6,
            a7,
            a8,
            a9,
            a10,
            a11,
            a12,
            a13,
            a14,
            a15,
          );
      } catch (e) {
        failed = e;
      }
      mainMs += performance.now() - t0;
      mainRan++;
      this.stats.mainChunks++;
      Atomics.add(word, 1, 1);
    }
    for (let d = Atomics.load(word, 1); d !== count; d = Atomics.load(word, 1)) Atomics.wait(word, 1, d);
    if (mainRan > 0 && mainMs > 0) {
      const ratio = (performance.now() - start) / ((mainMs / mainRan) * count);
      const seen = this.splitCost[k];
      this.splitCost[k] = seen === 0 ? ratio : seen + SMOOTHING * (ratio - seen);
      if (probe) this.probeEvery[k] = ratio > 1 ? Math.min(2 * this.probeEvery[k], PROBE_MAX) : PROBE_EVERY;
    }
    this.stats.jobs++;
    this.stats.chunks += count;
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
