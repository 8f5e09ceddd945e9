// The browser's side of the wasm engine: fetch, module Web Workers from a Blob URL, navigator.hardwareConcurrency.
// Shared memory needs a cross-origin isolated page (COOP same-origin + COEP require-corp).
// Threads > 1 need the engine inside a dedicated Worker (the playground's core runs in one): the calling thread
// sleeps in Atomics.wait, which a page's main thread may not do, so there it runs single-threaded.
import type { Platform, WorkerHandle, WorkerInit } from './platform.js';

// A module worker: the top-level await takes the WorkerInit (module, shared memory) from the first message.
const PRELUDE = `const init = await new Promise((resolve) => { self.onmessage = (e) => resolve(e.data); });
self.onmessage = null;
const ready = () => self.postMessage('ready');`;

/** True inside a dedicated Worker, the one browser context where Atomics.wait may block. */
function canBlock(): boolean {
  return typeof (globalThis as { DedicatedWorkerGlobalScope?: unknown }).DedicatedWorkerGlobalScope !== 'undefined';
}

function requireIsolation(): void {
  if (!globalThis.crossOriginIsolated) {
    throw new Error(
      'wasm engine: shared memory needs a cross-origin isolated page (headers COOP same-origin, COEP require-corp)',
    );
  }
}

export const browserPlatform: Platform = {
  async readBytes(urls) {
    requireIsolation();
    for (const url of urls) {
      const res = await fetch(url).catch(() => null);
      if (res?.ok) return new Uint8Array(await res.arrayBuffer());
    }
    throw new Error(`wasm engine: no compiled module at ${urls.map(String).join(' or ')}; run \`npm run build:wasm\``);
  },

  enableRelaxedSimd() {}, // browsers ship it (Chrome 114+) or not; compile() validates

  spawnWorker(source: string, init: WorkerInit): Promise<WorkerHandle> {
    if (!canBlock())
      return Promise.reject(
        new Error(
          "wasm engine: threads > 1 need the engine inside a dedicated Worker (Atomics.wait is not allowed on a page's main thread)",
        ),
      );
    const url = URL.createObjectURL(new Blob([`${PRELUDE}\n${source}`], { type: 'text/javascript' }));
    const worker = new Worker(url, { type: 'module', name: `pretext-wasm-${init.tid}` });
    return new Promise<WorkerHandle>((resolve, reject) => {
      worker.onmessage = () => resolve(worker);
      worker.onerror = (e) =>
        reject(new Error(`wasm engine: worker ${init.tid} failed to start: ${e.message ?? 'error'}`));
      worker.postMessage(init);
    }).finally(() => {
      worker.onmessage = worker.onerror = null;
      URL.revokeObjectURL(url);
    });
  },

  hardwareThreads: () => (canBlock() ? (globalThis.navigator?.hardwareConcurrency ?? 1) : 1),
};
