// Per-vocabulary lookup tables, built once per VocabInfo object (WeakMap) so hot loops only index typed arrays.
import { ensure } from '../../errors.js';
import type { Rng } from '../../rng/rng.js';
import { checkIds, normalizeVocab, regularIds, specialMask, type VocabInfo } from '../../tokenize/vocab.js';

export interface VocabTables {
  vocabSize: number;
  /** [V] 1 where the id is special (named specials included even if absent from specialIds) */
  special: Uint8Array;
  /** the non-special ids, ascending: the pool for random replacement */
  regular: Int32Array;
  /** [regular.length] cumulative unigram counts over `regular` (from vocab.unigramCounts), or null */
  unigramCdf: Float64Array | null;
}

const cache = new WeakMap<VocabInfo, VocabTables>();

export function vocabTables(v: VocabInfo): VocabTables {
  let t = cache.get(v);
  if (!t) {
    const n = normalizeVocab(v);
    const regular = regularIds(n);
    t = {
      vocabSize: n.vocabSize,
      special: specialMask(n),
      regular,
      unigramCdf: v.unigramCounts ? unigramCdf(v.unigramCounts, regular, n.vocabSize) : null,
    };
    cache.set(v, t);
  }
  return t;
}

function unigramCdf(counts: ArrayLike<number>, regular: Int32Array, V: number): Float64Array {
  ensure(counts.length === V, `vocab.unigramCounts has ${counts.length} entries for a vocabulary of ${V}`);
  const cdf = new Float64Array(regular.length);
  let total = 0;
  for (let k = 0; k < regular.length; k++) {
    const c = counts[regular[k]];
    ensure(Number.isFinite(c) && c >= 0, () => `vocab.unigramCounts[${regular[k]}] must be a count >= 0, got ${c}`);
    cdf[k] = total += c;
  }
  ensure(total > 0, 'vocab.unigramCounts: every non-special id has count 0, so no random replacement can be drawn');
  return cdf;
}

/** A random replacement id: uniform over the non-special ids, or by their corpus counts (SpanBERT). */
export function randomRegular(t: VocabTables, unigram: boolean, rng: Rng): number {
  if (!unigram) return t.regular[rng.int(t.regular.length)];
  const cdf = t.unigramCdf!;
  const x = rng.double() * cdf[cdf.length - 1];
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return t.regular[lo];
}

/** Corpus counts per id of token rows: the `unigramCounts` for randomDistribution 'unigram'. */
export function countTokens(rows: Iterable<{ input_ids: ArrayLike<number> }>, vocabSize: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  for (const r of rows) for (let i = 0; i < r.input_ids.length; i++) counts[r.input_ids[i]]++;
  return counts;
}

/** Throws unless a random replacement can be drawn. */
export function checkRandomPool(t: VocabTables, objectiveId: string): void {
  ensure(
    t.regular.length > 0,
    `${objectiveId}: every vocabulary id is special, so no random replacement id can be drawn`,
  );
}

/** Row `index` must have tokens, all in [0, V): one-line PretextError "`what` `index` ..." (message built on failure). */
export function checkRow(ids: Int32Array, v: VocabInfo, what: string, index: number): void {
  ensure(ids.length > 0, () => `${what} ${index} has no tokens`);
  if (!inRange(ids, v.vocabSize)) checkIds(ids, v, `${what} ${index}`);
}

/** Every id in [0, V), else checkIds' one-line PretextError. */
export function checkRange(ids: Int32Array, v: VocabInfo, where: string): void {
  if (!inRange(ids, v.vocabSize)) checkIds(ids, v, where);
}

/** Every id in [0, V). */
export function inRange(ids: Int32Array, V: number): boolean {
  for (let i = 0; i < ids.length; i++) if (ids[i] < 0 || ids[i] >= V) return false;
  return true;
}
