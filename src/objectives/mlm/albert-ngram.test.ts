// ALBERT n-gram masking (issue 7): n <= 3 words with p ∝ 1/n, ALBERT's count rule, whole words, no overlap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import { objectiveContract } from '../contract.case.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { roundHalfEven } from '../round.js';
import { sopObjective } from '../sop/index.js';
import { expectBinomial, VOCAB, wordRows } from './fixtures.case.js';
import { maskTokens, mlmObjective, resolveMlmOptions } from './index.js';
import { drawNgram } from './albert-ngram.js';

objectiveContract({
  objective: mlmObjective,
  vocab: VOCAB,
  options: { spanMasking: 'albert-ngram' },
  input: () => wordRows(12, 3),
  selectsTokens: true,
  variant: 'albert-ngram',
});

const docs = () =>
  Array.from({ length: 4 }, (_, d) => {
    const rows = wordRows(5, 10 + d, 3, 8, false);
    return {
      id: d,
      sentences: rows.map((r) => r.input_ids.slice(1, -1)),
      word_ids: rows.map((r) => r.word_ids!.slice(1, -1)),
    };
  });
objectiveContract({
  objective: sopObjective,
  vocab: VOCAB,
  options: { spanMasking: 'albert-ngram', maxSeqLen: 40 },
  input: docs,
  selectsTokens: true,
  variant: 'albert-ngram (ALBERT: SOP + n-gram MLM)',
  skip: { batching: 'document objectives see the whole corpus' },
});

describe('albert n-gram masking', () => {
  it('n is 1, 2, 3 with probabilities 6/11, 3/11, 2/11', () => {
    const counts = [0, 0, 0, 0];
    const N = 30000;
    const rng = Rng.of(1, 0, 0, 'n');
    for (let i = 0; i < N; i++) counts[drawNgram(3, rng)]++;
    for (const [n, p] of [
      [1, 6 / 11],
      [2, 3 / 11],
      [3, 2 / 11],
    ]) {
      const b = expectBinomial(counts[n], N, p);
      expect(b.ok, `n = ${n}: ${b.detail}`).toBe(true);
    }
    expect(drawNgram(1, rng)).toBe(1);
  });

  it('at most min(maxPredictions, max(1, round(L p))) tokens, whole words only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 40 }), (seed, words) => {
        const [row] = wordRows(1, seed, words, words);
        const o = resolveMlmOptions({ spanMasking: 'albert-ngram' });
        const out = maskTokens(row.input_ids, o, VOCAB, Rng.of(seed, 0, 0, 'a'), row.word_ids);
        const num = Math.min(20, Math.max(1, roundHalfEven(row.input_ids.length * 0.15)));
        const sel = Array.from(out.labels, (y) => y !== IGNORE_INDEX);
        expect(sel.filter(Boolean).length).toBeLessThanOrEqual(num);
        const w = row.word_ids!;
        for (let i = 1; i < sel.length; i++) if (w[i] >= 0 && w[i] === w[i - 1]) expect(sel[i]).toBe(sel[i - 1]);
      }),
      { numRuns: 300 },
    );
  });

  it('on token units the budget is met exactly; multi-word n-grams appear', () => {
    const rows = wordRows(200, 5, 40, 60, false).map((r) => ({ input_ids: r.input_ids }));
    const o = resolveMlmOptions({ spanMasking: 'albert-ngram', maxPredictions: 1000 });
    let runsLonger = 0;
    rows.forEach((row, r) => {
      const out = maskTokens(row.input_ids, o, VOCAB, Rng.of(r, 0, 0, 'a'));
      const sel = Array.from(out.labels, (y) => y !== IGNORE_INDEX);
      expect(sel.filter(Boolean).length).toBe(roundHalfEven(row.input_ids.length * 0.15));
      for (let i = 1; i < sel.length; i++) if (sel[i] && sel[i - 1]) runsLonger++;
    });
    expect(runsLonger).toBeGreaterThan(200);
  });
});
