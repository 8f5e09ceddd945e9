// SpanBERT's span boundary objective, data side (issue 7): per target, the boundary positions and the relative
// position; spans touching a special (the block's ends) get none; at most maxPairTargets per span.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectiveContract } from '../contract.case.js';
import { collect, VOCAB, wordRows } from '../mlm/fixtures.case.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { specialMask } from '../../tokenize/vocab.js';
import { spanBoundaryTargets, spanbertObjective } from './index.js';

objectiveContract({ objective: spanbertObjective, vocab: VOCAB, input: () => wordRows(12, 3), selectsTokens: true });

const special = specialMask(VOCAB);

describe('spanbert span boundary targets', () => {
  it('a worked example: [CLS] a [b c] d [e] [SEP] -> b, c with boundaries 1 and 4; e touches [SEP]', () => {
    const ids = Int32Array.of(2, 10, 11, 12, 13, 14, 3);
    const labels = Int32Array.of(-100, -100, 11, 12, -100, 14, -100);
    const t = spanBoundaryTargets(ids, labels, special, 15);
    expect([...t.sbo_positions, ...t.sbo_left, ...t.sbo_right, ...t.sbo_relative]).toEqual([2, 3, 1, 1, 4, 4, 0, 1]);
    expect(Array.from(spanBoundaryTargets(ids, labels, special, 1).sbo_positions)).toEqual([2]);
  });

  it('property: every SBO target is a target, its boundaries are non-targets around its span', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const [r] = collect(spanbertObjective, wordRows(1, seed, 10, 30, false), { maskProb: 0.3 }, seed);
        const y = r.labels!;
        const pos = r.sbo_positions as Int32Array;
        const left = r.sbo_left as Int32Array;
        const right = r.sbo_right as Int32Array;
        const rel = r.sbo_relative as Int32Array;
        for (let k = 0; k < pos.length; k++) {
          expect(y[pos[k]]).not.toBe(IGNORE_INDEX);
          expect(y[left[k]]).toBe(IGNORE_INDEX);
          expect(y[right[k]]).toBe(IGNORE_INDEX);
          expect(pos[k] - left[k] - 1).toBe(rel[k]);
          for (let i = left[k] + 1; i < right[k]; i++) expect(y[i]).not.toBe(IGNORE_INDEX);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('budget and masking are SpanBERT span masking (ceil(0.15 x non-special tokens))', () => {
    const [r] = collect(spanbertObjective, wordRows(1, 4, 40, 40, false));
    const eligible = Array.from(r.input_ids).filter((_, i) => i > 0 && i < r.input_ids.length - 1).length;
    expect(Array.from(r.labels!).filter((x) => x !== IGNORE_INDEX).length).toBe(Math.ceil(eligible * 0.15 - 1e-9));
  });
});
