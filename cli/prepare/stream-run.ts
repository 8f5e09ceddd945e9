// pretext prepare for token streams: corpus -> (worker threads) tokenize -> per-shard writers -> manifests.
// Documents are numbered in corpus order; shard i keeps documents d with d mod n = i; results are written in
// document order whatever the worker count, so the bytes depend only on the corpus, tokenizer and settings.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Document } from '../../src/corpus/document.js';
import { PretextError } from '../../src/errors.js';
import {
  MANIFEST_FORMAT,
  settingsDiffer,
  type PrepareSettings,
  type ShardManifest,
} from '../../src/prepare/manifest.js';
import { shardName, shardOf } from '../../src/prepare/shards.js';
import { EncodePool, type EncodeSettings } from './encode-pool.js';
import {
  fileEntry,
  readShardManifest,
  verifyShard,
  writeIndexWhenComplete,
  writeShardManifest,
} from './manifest-files.js';
import { StreamShardWriter, type StreamFormat } from './stream-writer.js';

/** What a shard's documents go into: a token-stream writer, or a row writer behind an objective's transform. */
export interface ShardSink {
  readonly files: string[];
  readonly counts: ShardManifest['counts'];
  /** the sequences of document `doc` (its index in the corpus) */
  addDocument(sequences: Int32Array[], doc: number): void;
  commit(): void;
  abort(): void;
}

export interface StreamRun {
  dir: string;
  docs: AsyncIterable<Document>;
  settings: PrepareSettings;
  /** the sink of shard i (default: a token-stream writer in settings.format) */
  sink?: (name: string) => ShardSink;
  encode: EncodeSettings;
  /** the shards this process builds (all of them on one machine, one under --shard-index) */
  shards: number[];
  workers: number;
  /** called after each written batch: documents read, tokens written */
  progress?: (documents: number, tokens: number, chars: number) => void;
  log: (line: string) => void;
}

const BATCH_DOCS = 32;

// Temp files a killed run left behind (".NAME.bin.PID.tmp") for the shards about to be rebuilt.
function removeStaleTemps(dir: string, names: string[]): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir))
    if (f.endsWith('.tmp') && names.some((n) => f.startsWith(`.${n}.`))) rmSync(join(dir, f), { force: true });
}

/** Which of `shards` still need building: finished ones with intact files are skipped, corrupt ones rebuilt. */
export function shardsToBuild(r: Pick<StreamRun, 'dir' | 'settings' | 'shards' | 'log'>): number[] {
  const n = r.settings.numShards;
  return r.shards.filter((i) => {
    const m = readShardManifest(r.dir, i, n);
    if (!m) return true;
    const differs = settingsDiffer(m.settings, r.settings);
    if (differs)
      throw new PretextError(
        `${r.dir} holds a prepared dataset with other settings (${differs}); use another --out or remove it`,
      );
    const problem = verifyShard(r.dir, m);
    if (problem) {
      r.log(`${shardName(i, n)}: ${problem}; rebuilding it`);
      return true;
    }
    r.log(`${shardName(i, n)}: already done, skipped`);
    return false;
  });
}

export async function runStream(r: StreamRun): Promise<{ built: ShardManifest[]; complete: boolean }> {
  const n = r.settings.numShards;
  const todo = shardsToBuild(r);
  const writers = new Map<number, ShardSink>();
  removeStaleTemps(
    r.dir,
    todo.map((i) => shardName(i, n)),
  );
  const sink =
    r.sink ??
    ((name: string) =>
      streamSink(new StreamShardWriter(r.dir, name, r.settings.format as StreamFormat, r.settings.dtype ?? 'int32')));
  for (const i of todo) writers.set(i, sink(shardName(i, n)));
  const pool = new EncodePool(r.encode, todo.length > 0 ? r.workers : 1);
  const pending: { shards: number[]; docs: number[]; result: Promise<Int32Array[][]>; chars: number }[] = [];
  let docsRead = 0;
  let tokens = 0;
  const drain = async (keep: number) => {
    while (pending.length > keep) {
      const job = pending.shift()!;
      const seqs = await job.result;
      seqs.forEach((s, k) => {
        writers.get(job.shards[k])!.addDocument(s, job.docs[k]);
        for (const q of s) tokens += q.length;
      });
      r.progress?.(docsRead, tokens, job.chars);
    }
  };
  try {
    if (todo.length > 0) {
      let batch: Document[] = [];
      let batchShards: number[] = [];
      let batchDocs: number[] = [];
      let chars = 0;
      const submit = () => {
        const result = pool.encode(batch);
        result.catch(() => undefined); // a failure is rethrown where drain awaits it, in order
        pending.push({ shards: batchShards, docs: batchDocs, result, chars });
        batch = [];
        batchShards = [];
        batchDocs = [];
        chars = 0;
      };
      for await (const doc of r.docs) {
        const d = docsRead++;
        const s = shardOf(d, n);
        if (!writers.has(s)) continue;
        batch.push(doc);
        batchShards.push(s);
        batchDocs.push(d);
        for (const t of doc.sentences) chars += t.length + 1;
        if (batch.length === BATCH_DOCS) {
          submit();
          await drain(2 * Math.max(1, r.workers));
        }
      }
      if (batch.length > 0) submit();
      await drain(0);
      if (docsRead < n) throw new PretextError(`the corpus has ${docsRead} documents, fewer than --num-shards ${n}`);
    }
    const built: ShardManifest[] = [];
    for (const [i, w] of writers) {
      w.commit();
      const m: ShardManifest = {
        format: MANIFEST_FORMAT,
        version: 1,
        shard: { index: i, count: n },
        settings: r.settings,
        files: w.files.map((f) => fileEntry(r.dir, f)),
        counts: w.counts,
      };
      writeShardManifest(r.dir, m);
      built.push(m);
    }
    return { built, complete: writeIndexWhenComplete(r.dir, n) !== undefined };
  } catch (e) {
    for (const w of writers.values()) w.abort();
    throw e;
  } finally {
    await pool.close();
  }
}

/** A token-stream writer as a shard sink. */
export function streamSink(w: StreamShardWriter): ShardSink {
  return {
    get files() {
      return w.files;
    },
    get counts() {
      return w.counts;
    },
    addDocument: (s) => w.addDocument(s),
    commit: () => w.commit(),
    abort: () => w.abort(),
  };
}
