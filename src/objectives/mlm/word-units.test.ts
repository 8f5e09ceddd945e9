// Whole-word units are runs of equal word ids at adjacent positions: HF's word_ids() restart at 0 for segment B,
// so grouping by value would join word k of A with word k of B (issue 7).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { specialMask } from '../../tokenize/vocab.js';
import { expectBinomial, VOCAB } from './fixtures.case.js';
import { maskTokens, resolveMlmOptions } from './index.js';
import { buildUnits } from './select.js';

// [CLS] the cat sat [SEP] a dog ran [SEP], word ids as HF gives them for a pair: 0 1 2 | 0 1 2.
const PAIR = Int32Array.of(2, 10, 11, 12, 3, 20, 21, 22, 3);
const PAIR_WORDS = Int32Array.of(-1, 0, 1, 2, -1, 0, 1, 2, -1);

describe('mlm whole-word units', () => {
  it('a pair has six units, not three', () => {
    const u = buildUnits(PAIR, specialMask(VOCAB), PAIR_WORDS);
    expect(u.n).toBe(6);
    expect(u.unitOf[1]).not.toBe(u.unitOf[5]);
  });

  it('word 0 of A and word 0 of B are selected together about p^2 of the time, not p', () => {
    const o = resolveMlmOptions({ wholeWord: true });
    let both = 0;
    const n = 4000;
    for (let s = 0; s < n; s++) {
      const out = maskTokens(PAIR, o, VOCAB, Rng.of(s, 0, 0, 'ww'), PAIR_WORDS);
      if (out.labels[1] !== IGNORE_INDEX && out.labels[5] !== IGNORE_INDEX) both++;
    }
    const b = expectBinomial(both, n, 0.15 * 0.15);
    expect(b.ok, b.detail).toBe(true);
  });

  it('a word split by a special token is two units', () => {
    const u = buildUnits(Int32Array.of(10, 6, 11), specialMask(VOCAB), Int32Array.of(0, -1, 0));
    expect(u.n).toBe(2);
  });
});
