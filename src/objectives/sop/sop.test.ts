import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { objectiveContract } from '../contract.case.js';
import type { DocumentExample, ModelInput } from '../../batch/row.js';
import { corpus, isRun, pairVocab as vocab, segments, sentenceTokens } from '../pairs/pairs.case.js';
import { sopObjective, type SopOptions } from './index.js';

const run = (docs: DocumentExample[], opts: Partial<SopOptions> = {}, seed = 1): ModelInput[] => [
  ...sopObjective.transform(docs, sopObjective.resolve(opts), { seed, epoch: 0, vocab }),
];
const docSkip = { batching: 'document objectives take the whole corpus' };

objectiveContract({
  objective: sopObjective,
  vocab,
  input: () => corpus(6, 8, 3, 30),
  options: { maxSeqLen: 64 },
  selectsTokens: true,
  skip: docSkip,
});
objectiveContract({
  objective: sopObjective,
  vocab,
  input: () => corpus(6, 8, 3, 30),
  options: { maxSeqLen: 64, compat: 'albert' },
  selectsTokens: true,
  skip: docSkip,
  variant: 'compat albert',
});
objectiveContract({
  objective: sopObjective,
  vocab,
  input: () => corpus(6, 8, 3, 30),
  options: { maxSeqLen: 64, maskProb: 0 },
  skip: { ...docSkip, noSpecialSelected: 'maskProb 0: no MLM labels' },
  variant: 'maskProb 0',
});

describe('sop pairs', () => {
  it('swapped pairs are the same two consecutive segments reversed; in-order pairs are A then its continuation', () => {
    let swapped = 0;
    let inOrder = 0;
    for (let seed = 0; seed < 30; seed++) {
      const docs = corpus(20, 10, 1, 25, seed);
      for (const r of run(docs, { maxSeqLen: 512, maskProb: 0 }, seed)) {
        const { a, b } = r.source!;
        const [A, B] = segments(r);
        expect(b.doc).toBe(a.doc); // never a random-document B
        const [first, second, firstTokens, secondTokens] = r.sentence_order_label === 1 ? [b, a, B, A] : [a, b, A, B];
        if (r.sentence_order_label === 1) swapped++;
        else inOrder++;
        if (first.start === second.start) {
          expect(first.end).toBe(first.start + 1); // a one-sentence chunk split at a token boundary
          expect([...firstTokens, ...secondTokens]).toEqual(sentenceTokens(docs, first));
        } else {
          expect(second.start).toBe(first.end);
          expect(firstTokens).toEqual(sentenceTokens(docs, first));
          expect(secondTokens).toEqual(sentenceTokens(docs, second));
        }
      }
    }
    expect(swapped).toBeGreaterThan(100);
    expect(inOrder).toBeGreaterThan(100);
  });

  // Binomial(n >= 1500, 1/2): |rate - 1/2| > 0.06 is > 4.6 sd, probability < 1e-5.
  it('swap rate 1/2, label 1 = swapped', () => {
    const rows = run(corpus(400, 20, 5, 60, 7), { maxSeqLen: 128, maskProb: 0 });
    expect(rows.length).toBeGreaterThanOrEqual(1500);
    const rate = rows.filter((r) => r.sentence_order_label === 1).length / rows.length;
    expect(Math.abs(rate - 0.5)).toBeLessThan(0.06);
  });

  it('segment ids, specials and lengths; truncation keeps runs', () => {
    const docs = corpus(8, 10, 5, 80);
    for (const r of run(docs, { maxSeqLen: 40, maskProb: 0 })) {
      const ids = Array.from(r.input_ids);
      const sep = ids.indexOf(3);
      expect(ids.length).toBeLessThanOrEqual(40);
      expect(ids[0]).toBe(2);
      expect(ids[ids.length - 1]).toBe(3);
      expect(Array.from(r.token_type_ids!)).toEqual(ids.map((_, i) => (i <= sep ? 0 : 1)));
      const [A, B] = segments(r);
      expect(isRun(A, sentenceTokens(docs, r.source!.a))).toBe(true);
      expect(isRun(B, sentenceTokens(docs, r.source!.b))).toBe(true);
    }
  });

  it('one-sentence chunks: split (or skipped under 2 tokens) by default; compat albert takes B from another document with label 1', () => {
    const long = corpus(10, 6, 130, 140, 2); // every chunk is one sentence at maxSeqLen 128
    const ours = run(long, { maxSeqLen: 128, maskProb: 0 });
    expect(ours.every((r) => r.source!.a.doc === r.source!.b.doc && r.source!.a.start === r.source!.b.start)).toBe(
      true,
    );
    const albert = run(long, { maxSeqLen: 128, maskProb: 0, compat: 'albert' });
    expect(albert.every((r) => r.sentence_order_label === 1)).toBe(true);
    expect(albert.filter((r) => r.source!.b.doc !== r.source!.a.doc).length).toBeGreaterThan(albert.length / 2);
    const tiny = [0, 1].map((d) => ({ id: d, sentences: [Int32Array.of(10 + d)] }));
    expect(run(tiny, { maskProb: 0 })).toEqual([]);
    expect(run(tiny, { maskProb: 0, compat: 'albert' }).map((r) => r.sentence_order_label)).toEqual([1, 1]);
  });

  it('a single document is fine (no other document is ever needed); bad input is a PretextError', () => {
    expect(run(corpus(1, 8, 3, 20)).length).toBeGreaterThan(0);
    expect(() => run([{ id: 'e', sentences: [new Int32Array(0)] }])).toThrow(/document 0 \(id "e"\) has no tokens/);
    expect(() => sopObjective.resolve({ compat: 'bert' } as unknown as Partial<SopOptions>)).toThrow(PretextError);
  });
});
