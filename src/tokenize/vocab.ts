// What an objective needs to know of a vocabulary: its size and the ids of its special tokens.
// Objectives are tokenizer-agnostic; a Tokenizer or CLI flags produce a VocabInfo.
import { ensure } from '../errors.js';

export interface VocabInfo {
  vocabSize: number;
  padId: number;
  unkId?: number;
  clsId?: number;
  sepId?: number;
  maskId?: number;
  bosId?: number;
  eosId?: number;
  /** Every special id (the named ones above, sentinels, added specials). Never selected, never drawn as "random". */
  specialIds: readonly number[];
  /** [V] corpus count of each id (optional): the unigram distribution MLM's randomDistribution 'unigram' draws from */
  unigramCounts?: ArrayLike<number>;
}

/** A copy of `v` whose specialIds also include every named special id, sorted and unique. */
export function normalizeVocab(v: VocabInfo): VocabInfo {
  ensure(Number.isInteger(v.vocabSize) && v.vocabSize > 0, `vocab size must be a positive integer, got ${v.vocabSize}`);
  const named = [v.padId, v.unkId, v.clsId, v.sepId, v.maskId, v.bosId, v.eosId].filter(
    (x): x is number => x !== undefined,
  );
  const all = [...new Set([...v.specialIds, ...named])].sort((a, b) => a - b);
  for (const id of all)
    ensure(
      Number.isInteger(id) && id >= 0 && id < v.vocabSize,
      `special id ${id} is outside the vocabulary [0, ${v.vocabSize})`,
    );
  return { ...v, specialIds: all };
}

/** specialMask(v)[id] === 1 when id is special. */
export function specialMask(v: VocabInfo): Uint8Array {
  const m = new Uint8Array(v.vocabSize);
  for (const id of v.specialIds) m[id] = 1;
  return m;
}

/** The non-special ids, ascending: the pool for "random word" replacement. */
export function regularIds(v: VocabInfo): Int32Array {
  const m = specialMask(v);
  const out = new Int32Array(v.vocabSize - v.specialIds.length);
  let n = 0;
  for (let id = 0; id < v.vocabSize; id++) if (!m[id]) out[n++] = id;
  return out;
}

/** Throws a PretextError naming the first id outside [0, vocabSize). */
export function checkIds(ids: ArrayLike<number>, v: VocabInfo, where: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    ensure(
      Number.isInteger(id) && id >= 0 && id < v.vocabSize,
      () => `${where}: token id ${id} at position ${i} is outside the vocabulary [0, ${v.vocabSize})`,
    );
  }
}
