// Node's side of the wasm engine: files, worker_threads, V8 flags.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Platform, WorkerHandle, WorkerInit } from './platform.js';

const PRELUDE = `const { workerData: init, parentPort } = require('node:worker_threads');
const ready = () => parentPort.postMessage('ready');`;

export const nodePlatform: Platform = {
  async readBytes(urls) {
    for (const url of urls) {
      try {
        return new Uint8Array(await readFile(fileURLToPath(url)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    throw new Error(`wasm engine: no compiled module at ${urls.map(String).join(' or ')}; run \`npm run build:wasm\``);
  },

  enableRelaxedSimd() {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  },

  spawnWorker(source: string, init: WorkerInit): Promise<WorkerHandle> {
    const worker = new Worker(`${PRELUDE}\n${source}`, { eval: true, workerData: init });
    worker.unref(); // idle workers never keep the process alive
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    });
  },

  hardwareThreads: () => availableParallelism(),
};
