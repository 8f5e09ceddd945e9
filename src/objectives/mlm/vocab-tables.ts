// Per-vocabulary lookup tables, built once per VocabInfo object (WeakMap) so hot loops only index typed arrays.
import { ensure } from '../../errors.js';
import { checkIds, normalizeVocab, regularIds, specialMask, type VocabInfo } from '../vocab.js';

export interface VocabTables {
  vocabSize: number;
  /** [V] 1 where the id is special (named specials included even if absent from specialIds) */
  special: Uint8Array;
  /** the non-special ids, ascending: the pool for random replacement */
  regular: Int32Array;
}

const cache = new WeakMap<VocabInfo, VocabTables>();

export function vocabTables(v: VocabInfo): VocabTables {
  let t = cache.get(v);
  if (!t) {
    const n = normalizeVocab(v);
    t = { vocabSize: n.vocabSize, special: specialMask(n), regular: regularIds(n) };
    cache.set(v, t);
  }
  return t;
}

/** Throws unless a random replacement can be drawn. */
export function checkRandomPool(t: VocabTables, objectiveId: string): void {
  ensure(t.regular.length > 0, `${objectiveId}: every vocabulary id is special, so no random replacement id can be drawn`);
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
