// What a prepared dataset folder says about itself. Each shard writes NAME.json when its files are in place (so
// shards run on different machines never write one file together); index.json lists every shard once all exist.
import type { ShardSpec } from './shards.js';

export const MANIFEST_FORMAT = 'pretext-prepared';

/** The settings that decide the bytes of every shard: a re-run with other settings must not mix with these. */
export interface PrepareSettings {
  format: 'megatron' | 'npy' | 'parquet' | 'jsonl';
  objective: string;
  /** how documents became sequences (stream formats) */
  unit?: 'sentence' | 'document';
  corpus: string;
  tokenizer: { file: string; sha256: string; vocabSize: number };
  dtype?: 'uint16' | 'int32';
  seqLen: number;
  seed: number;
  epochsOfMasks?: number;
  numShards: number;
  /** the objective's resolved options (rows formats) */
  options?: Record<string, unknown>;
}

export interface FileEntry {
  name: string;
  bytes: number;
  sha256: string;
}

export interface ShardManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  shard: ShardSpec;
  settings: PrepareSettings;
  files: FileEntry[];
  counts: { documents: number; sequences?: number; rows?: number; tokens: number };
}

export interface DatasetIndex {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  settings: PrepareSettings;
  shards: ShardManifest[];
  counts: ShardManifest['counts'];
}

/** The first setting that differs between two runs, as "name: a vs b", or undefined when they match. */
export function settingsDiffer(a: PrepareSettings, b: PrepareSettings): string | undefined {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof PrepareSettings>;
  for (const k of keys) {
    const x = JSON.stringify(a[k]);
    const y = JSON.stringify(b[k]);
    if (x !== y) return `${k}: ${x ?? 'unset'} vs ${y ?? 'unset'}`;
  }
  return undefined;
}

/** The dataset index over all shards' manifests (ordered by shard index). */
export function datasetIndex(shards: readonly ShardManifest[]): DatasetIndex {
  const sorted = [...shards].sort((a, b) => a.shard.index - b.shard.index);
  const counts = { documents: 0, tokens: 0 } as ShardManifest['counts'];
  for (const s of sorted) {
    counts.documents += s.counts.documents;
    counts.tokens += s.counts.tokens;
    if (s.counts.sequences !== undefined) counts.sequences = (counts.sequences ?? 0) + s.counts.sequences;
    if (s.counts.rows !== undefined) counts.rows = (counts.rows ?? 0) + s.counts.rows;
  }
  return { format: MANIFEST_FORMAT, version: 1, settings: sorted[0].settings, shards: sorted, counts };
}
