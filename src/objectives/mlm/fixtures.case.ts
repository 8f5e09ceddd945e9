// Test fixtures shared by the mlm, electra and clm tests: a small vocabulary and rows with word ids.
import { Rng } from '../../rng/rng.js';
import type { TokenExample } from '../../batch/row.js';
import type { VocabInfo } from '../../tokenize/vocab.js';

/** V = 1000; 0 pad, 1 unk, 2 cls, 3 sep, 4 mask, 5 eos, 6-7 added specials. */
export const VOCAB: VocabInfo = {
  vocabSize: 1000,
  padId: 0,
  unkId: 1,
  clsId: 2,
  sepId: 3,
  maskId: 4,
  eosId: 5,
  specialIds: [0, 1, 2, 3, 4, 5, 6, 7],
};
export const FIRST_REGULAR = 8;

/** Half the ids special (0-99 of 200): makes "a random id is never special" a strong check. */
export const HALF_SPECIAL: VocabInfo = {
  vocabSize: 200,
  padId: 0,
  clsId: 1,
  sepId: 2,
  maskId: 3,
  specialIds: Array.from({ length: 100 }, (_, i) => i),
};

/**
 * `n` rows `[CLS] w1 .. wk [SEP]` (k words of 1-3 tokens, ids >= 8), with word_ids (-1 at specials). With `midSpecial`,
 * an added special (id 6, word id -1) sits after the first word.
 */
export function wordRows(
  n: number,
  seed: number,
  minWords = 4,
  maxWords = 12,
  midSpecial = true,
  vocab = VOCAB,
): TokenExample[] {
  const rng = Rng.of(seed, 0, 0, 'fixture');
  const firstRegular = vocab.specialIds.length;
  const rows: TokenExample[] = [];
  for (let r = 0; r < n; r++) {
    const ids = [vocab.clsId!];
    const words = [-1];
    const k = rng.intBetween(minWords, maxWords);
    for (let w = 0; w < k; w++) {
      const pieces = rng.intBetween(1, 3);
      for (let p = 0; p < pieces; p++) {
        ids.push(firstRegular + rng.int(vocab.vocabSize - firstRegular));
        words.push(w);
      }
      if (midSpecial && w === 0) {
        ids.push(6);
        words.push(-1);
      }
    }
    ids.push(vocab.sepId!);
    words.push(-1);
    rows.push({ input_ids: Int32Array.from(ids), word_ids: Int32Array.from(words) });
  }
  return rows;
}

/** `n` rows of `len` regular tokens framed by [CLS] .. [SEP] (no word ids). */
export function plainRows(n: number, len: number, seed: number, vocab = VOCAB): TokenExample[] {
  const rng = Rng.of(seed, 0, 0, 'fixture.plain');
  const firstRegular = Math.max(...vocab.specialIds) + 1;
  const rows: TokenExample[] = [];
  for (let r = 0; r < n; r++) {
    const ids = new Int32Array(len);
    ids[0] = vocab.clsId!;
    ids[len - 1] = vocab.sepId!;
    for (let i = 1; i < len - 1; i++) ids[i] = firstRegular + rng.int(vocab.vocabSize - firstRegular);
    rows.push({ input_ids: ids });
  }
  return rows;
}

/** Run a token objective over rows and collect the output. */
export function collect<O>(
  obj: {
    resolve(p: Partial<O>): O;
    transform(
      rows: Iterable<TokenExample>,
      o: O,
      ctx: { seed: number; epoch: number; vocab: VocabInfo; startIndex?: number },
    ): Iterable<import('../../batch/row.js').ModelInput>;
  },
  rows: TokenExample[],
  options: Partial<O> = {},
  seed = 1,
  vocab = VOCAB,
) {
  return [...obj.transform(rows, obj.resolve(options), { seed, epoch: 0, vocab })];
}

/** Binomial bound: |x - n p| <= 5 sd fails with probability < 1e-6 for a correct implementation (normal tail). */
export function expectBinomial(x: number, n: number, p: number): { ok: boolean; detail: string } {
  const sd = Math.sqrt(n * p * (1 - p));
  const ok = Math.abs(x - n * p) <= 5 * sd;
  return { ok, detail: `${x} of ${n}, expected ${(n * p).toFixed(1)} +- 5 x ${sd.toFixed(1)}` };
}
