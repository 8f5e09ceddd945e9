// MLM rules read from the reference code (issue 7): HF's whole-word collator masks every selected token;
// SpanBERT budgets over the non-special tokens and draws random replacements by corpus frequency.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { plainRows, VOCAB, wordRows } from './fixtures.case.js';
import { countTokens, maskTokens, resolveMlmOptions } from './index.js';

describe('mlm reference rules', () => {
  it("compat 'hf' with wholeWord: every selected token becomes [MASK]", () => {
    const o = resolveMlmOptions({ wholeWord: true, compat: 'hf', maskProb: 0.5 });
    let selected = 0;
    for (const [r, row] of wordRows(300, 4).entries()) {
      const out = maskTokens(row.input_ids, o, VOCAB, Rng.of(r, 0, 0, 'hf'), row.word_ids);
      for (let i = 0; i < out.labels.length; i++) {
        if (out.labels[i] === IGNORE_INDEX) continue;
        selected++;
        expect(out.input_ids[i]).toBe(VOCAB.maskId);
      }
    }
    expect(selected).toBeGreaterThan(1000);
  });

  it('spanbert: 15% of a 128-token row with [CLS] and [SEP] is ceil(0.15 x 126) = 19 targets, not 20', () => {
    const [row] = plainRows(1, 128, 3);
    const out = maskTokens(row.input_ids, resolveMlmOptions({ spanMasking: 'spanbert' }), VOCAB, Rng.of(1, 0, 0, 's'));
    expect(out.labels.filter((y) => y !== IGNORE_INDEX).length).toBe(19);
  });

  it("randomDistribution 'unigram': random replacements follow the vocabulary's corpus counts", () => {
    const counts = new Float64Array(VOCAB.vocabSize);
    counts[100] = 3;
    counts[200] = 1;
    const vocab = { ...VOCAB, unigramCounts: counts };
    const o = resolveMlmOptions({ spanMasking: 'spanbert', maskProb: 0.5, randomDistribution: 'unigram' });
    const seen = new Map<number, number>();
    for (const [r, row] of plainRows(400, 40, 9).entries()) {
      const out = maskTokens(row.input_ids, o, vocab, Rng.of(r, 0, 0, 'u'));
      for (let i = 0; i < out.labels.length; i++) {
        const x = out.input_ids[i];
        if (out.labels[i] !== IGNORE_INDEX && x !== VOCAB.maskId && x !== row.input_ids[i])
          seen.set(x, (seen.get(x) ?? 0) + 1);
      }
    }
    expect([...seen.keys()].sort()).toEqual([100, 200]);
    const share = seen.get(100)! / (seen.get(100)! + seen.get(200)!);
    expect(share).toBeGreaterThan(0.65);
    expect(share).toBeLessThan(0.85);
    expect(() => maskTokens(Int32Array.of(2, 10, 3), o, VOCAB, Rng.of(1, 0, 0, 'u'))).toThrow(/unigramCounts/);
  });

  it('countTokens counts ids over rows', () => {
    expect(Array.from(countTokens([{ input_ids: [1, 2, 2] }, { input_ids: [2] }], 4))).toEqual([0, 1, 3, 0]);
  });
});
