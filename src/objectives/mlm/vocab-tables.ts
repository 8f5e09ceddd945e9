// Per-vocabulary lookup tables, built once per VocabInfo object (WeakMap) so hot loops only index typed arrays.
import { ensure } from '../../errors.js';
import { normalizeVocab, regularIds, specialMask, type VocabInfo } from '../vocab.js';

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
