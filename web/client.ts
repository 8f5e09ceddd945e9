// The page's side of the worker protocol: request(kind) -> a promise of the answer; training progress to a listener.
import type { Request, Responses, TrainProgress } from './protocol.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class CoreClient {
  private readonly worker = new Worker(new URL('./worker.ts', import.meta.url), {
    type: 'module',
    name: 'pretext-core',
  });
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  onProgress: (p: TrainProgress) => void = () => {};

  constructor() {
    this.worker.onmessage = (e: MessageEvent) => {
      const m = e.data;
      if (m.kind === 'train-progress') return this.onProgress(m as TrainProgress);
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    };
  }

  request<K extends Request['kind']>(
    request: Extract<Request, { kind: K }>,
    transfer: Transferable[] = [],
  ): Promise<Responses[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request }, transfer);
    });
  }
}
