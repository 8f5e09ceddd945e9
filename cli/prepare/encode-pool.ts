// Tokenizing on worker threads with results in submission order, so the output is the same bytes for any
// --workers. With one worker the work runs inline on the main thread through the same function.
import { Worker } from 'node:worker_threads';
import type { Document } from '../../src/corpus/document.js';
import { PretextError } from '../../src/errors.js';
import {
  documentSequences,
  unpackSequences,
  type PackedSequences,
  type StreamUnit,
} from '../../src/prepare/sequences.js';
import { loadTokenizer, type Tokenizer } from '../../src/tokenize/index.js';

export interface EncodeSettings {
  /** tokenizer.json text */
  tokenizer: string;
  unit: StreamUnit;
  eosId?: number;
}

type Result = Int32Array[][];

export class EncodePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { docs: Document[]; resolve: (r: Result) => void; reject: (e: Error) => void }[] = [];
  private readonly inFlight = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  private readonly inline?: Tokenizer;
  private nextId = 0;

  constructor(
    private readonly settings: EncodeSettings,
    threads: number,
  ) {
    if (threads <= 1) {
      this.inline = loadTokenizer(settings.tokenizer);
      return;
    }
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./encode-worker.js', import.meta.url), { workerData: settings });
      w.on('message', (m: { id: number; packed?: PackedSequences; error?: string }) => this.done(w, m));
      w.on('error', (e) => this.fail(e));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** The sequences of each document of `docs` (resolves in any order; await in submission order). */
  encode(docs: Document[]): Promise<Result> {
    if (this.inline) {
      const tok = this.inline;
      return Promise.resolve(docs.map((d) => documentSequences(d, tok, this.settings.unit, this.settings.eosId)));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ docs, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const w = this.idle.pop()!;
      const job = this.waiting.shift()!;
      const id = this.nextId++;
      this.inFlight.set(id, job);
      w.postMessage({ id, docs: job.docs });
    }
  }

  private done(w: Worker, m: { id: number; packed?: PackedSequences; error?: string }): void {
    const job = this.inFlight.get(m.id)!;
    this.inFlight.delete(m.id);
    this.idle.push(w);
    if (m.error !== undefined) job.reject(new PretextError(m.error));
    else job.resolve(unpackSequences(m.packed!));
    this.dispatch();
  }

  private fail(e: Error): void {
    for (const job of [...this.inFlight.values(), ...this.waiting]) job.reject(e);
    this.inFlight.clear();
    this.waiting.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
