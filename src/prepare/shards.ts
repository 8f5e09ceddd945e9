// Sharding for many machines: document d (in corpus order) belongs to shard d mod n, so every shard can stream the
// whole corpus and keep its own documents, shards are balanced, and interleaving the shards' documents again
// (document d is the (d div n)-th of shard d mod n) gives back a one-machine run exactly.
import { ensure } from '../errors.js';

export interface ShardSpec {
  index: number;
  count: number;
}

export function checkShards(s: ShardSpec): void {
  ensure(Number.isInteger(s.count) && s.count >= 1, `--num-shards must be a positive integer, got ${s.count}`);
  ensure(
    Number.isInteger(s.index) && s.index >= 0 && s.index < s.count,
    `--shard-index must be in [0, ${s.count - 1}], got ${s.index}`,
  );
}

export const shardOf = (doc: number, count: number): number => doc % count;

/** shard-00003-of-00008 */
export function shardName(index: number, count: number): string {
  const pad = (x: number) => String(x).padStart(5, '0');
  return `shard-${pad(index)}-of-${pad(count)}`;
}

/**
 * Global document order from per-shard document counts: the (shard, position) of each document, in order.
 * Shards' counts must be those of a d mod n split: shard i holds ceil((N - i) / n) of N documents.
 */
export function* interleave(counts: readonly number[]): Generator<[shard: number, position: number]> {
  const n = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++)
    ensure(
      counts[i] === Math.ceil((total - i) / n),
      `shard ${i} holds ${counts[i]} documents; a d mod ${n} split of ${total} gives ${Math.ceil((total - i) / n)}`,
    );
  for (let d = 0; d < total; d++) yield [d % n, Math.floor(d / n)];
}

/**
 * Row i of document d draws its masks from the stream of example index d x 2^20 + i (seed and epoch as given), so a
 * row's masks depend on its document's place in the corpus, not on the shard or the worker that made it.
 */
export const ROWS_PER_DOCUMENT_KEY = 2 ** 20;
