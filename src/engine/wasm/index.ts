// createWasmEngine: compile the AssemblyScript kernels (the relaxed-simd FMA build where the runtime has it, else
// plain simd), make one shared memory, start threads - 1 workers on it, and return the Engine.

import { WasmHeap } from './heap.js';
import type { Platform } from './platform.js';
import { ThreadPool } from './pool.js';
import { KERNELS, WasmEngine } from './wasm-engine.js';
import { CTRL_BYTES, WORKER_LOOP } from './worker-source.js';

export type { Platform } from './platform.js';
export { WasmEngine } from './wasm-engine.js';

export interface WasmEngineOptions {
  /** Threads including the calling one (default: the host's logical cores, at most 8). */
  threads?: number;
  /** 'auto' (default) uses relaxed-simd FMA when the runtime validates it; 'simd' forces the mul + add build. */
  build?: 'auto' | 'relaxed' | 'simd';
  /** Upper bound on the wasm memory, in MiB (default 4096, the wasm32 limit). */
  maxMemoryMB?: number;
  /** Split every kernel across all threads however small the work (tests of the partitioning); default false. */
  splitAll?: boolean;
  /**
   * Run a kernel inline while splitting it across threads has not paid off (pool.ts; default true, false with
   * splitAll): two threads are then about as fast as one when the second core is busy.
   */
  adaptive?: boolean;
  /** Tests only: each worker sleeps this long after every wake-up before it claims work (a late, descheduled thread). */
  startDelayMs?: number;
  /** Host services; default: Node's (platform-node.ts) or the browser's (platform-browser.ts), loaded on demand. */
  platform?: Platform;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // asc --maximumMemory in the build:wasm script
const INITIAL_PAGES = 256;

// Emitted by `npm run build:wasm` into dist/src/engine/wasm/, next to this module once compiled; the second URL
// finds them from the TypeScript sources (vitest), relative to the package root.
function wasmUrls(file: string): URL[] {
  // @vite-ignore: a bundler must not glob these folders (the playground passes a platform that fetches its own copies).
  return [
    new URL(/* @vite-ignore */ `./${file}`, import.meta.url),
    new URL(/* @vite-ignore */ `../../../dist/src/engine/wasm/${file}`, import.meta.url),
  ];
}

// Node or a browser, without a bundler: only the host's own module is ever loaded.
async function defaultPlatform(): Promise<Platform> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (isNode) {
    const nodeOnly = './platform-node.js'; // a variable specifier keeps browser bundlers from following it
    return ((await import(/* @vite-ignore */ nodeOnly)) as typeof import('./platform-node.js')).nodePlatform;
  }
  if (typeof globalThis.fetch === 'function' && typeof globalThis.Worker === 'function')
    return (await import('./platform-browser.js')).browserPlatform;
  throw new Error('wasm engine: neither Node nor a browser (fetch + Worker); pass options.platform');
}

async function compile(
  platform: Platform,
  build: 'auto' | 'relaxed' | 'simd',
): Promise<{ module: WebAssembly.Module; build: 'relaxed' | 'simd' }> {
  if (build !== 'simd') {
    platform.enableRelaxedSimd();
    const bytes = await platform.readBytes(wasmUrls('engine.relaxed.wasm'));
    if (WebAssembly.validate(bytes)) return { module: await WebAssembly.compile(bytes), build: 'relaxed' };
    if (build === 'relaxed') throw new Error('wasm engine: this runtime does not support relaxed SIMD');
  }
  const bytes = await platform.readBytes(wasmUrls('engine.simd.wasm'));
  return { module: await WebAssembly.compile(bytes), build: 'simd' };
}

export async function createWasmEngine(options: WasmEngineOptions = {}): Promise<WasmEngine> {
  const platform = options.platform ?? (await defaultPlatform());
  const threads = options.threads ?? Math.min(8, platform.hardwareThreads());
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64))
    throw new RangeError(`wasm engine: threads must be an integer in [1, 64], got ${threads}`);
  const maxPages = Math.min(MAX_PAGES, Math.floor(((options.maxMemoryMB ?? 4096) * 1048576) / PAGE));
  const { module, build } = await compile(platform, options.build ?? 'auto');

  const memory = new WebAssembly.Memory({
    initial: Math.min(INITIAL_PAGES, maxPages),
    maximum: maxPages,
    shared: true,
  });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as Record<string, (...args: number[]) => number>;
  const heap = new WasmHeap(memory, exports.heapBase(), maxPages * PAGE);
  const ctrl = heap.allocBytes(CTRL_BYTES);
  const ws = heap.allocBytes(threads * exports.workspaceBytes());
  const kernels = [...KERNELS];
  const workers = await Promise.all(
    Array.from({ length: threads - 1 }, (_, i) =>
      platform.spawnWorker(WORKER_LOOP, {
        module,
        memory,
        ctrl,
        tid: i + 1,
        kernels,
        startDelayMs: options.startDelayMs ?? 0,
      }),
    ),
  );
  const pool = new ThreadPool(
    memory,
    ctrl,
    kernels.map((name) => exports[name] as (...args: number[]) => void),
    workers,
    options.adaptive ?? !(options.splitAll ?? false),
  );
  return new WasmEngine(heap, pool, ws, build, options.splitAll ?? false);
}
