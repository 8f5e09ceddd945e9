// What the wasm engine needs from its host, so the engine itself stays free of Node and DOM imports.
// Node: platform-node.ts (worker_threads). Browser: platform-browser.ts (fetch, module Web Workers from the same
// worker source; threads > 1 only inside a dedicated Worker: Atomics.wait is not allowed on a page's main thread).

/** What each worker thread receives: the compiled module, the shared memory, where the control block is, its id. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctrl: number;
  tid: number;
  kernels: readonly string[];
  /** Tests only: sleep this many ms after each wake-up before claiming work (0 in use). */
  startDelayMs: number;
}

export interface WorkerHandle {
  terminate(): void;
}

export interface Platform {
  /** The bytes of the first URL that exists. */
  readBytes(urls: readonly URL[]): Promise<Uint8Array<ArrayBuffer>>;
  /** Turn on relaxed SIMD where the runtime has it behind a flag (Node 20); call before compiling. */
  enableRelaxedSimd(): void;
  /** Start a worker running `source` (a script from worker-source.ts) on `init`; resolves once it has instantiated. */
  spawnWorker(source: string, init: WorkerInit): Promise<WorkerHandle>;
  /** Logical cores available to this process. */
  hardwareThreads(): number;
}
