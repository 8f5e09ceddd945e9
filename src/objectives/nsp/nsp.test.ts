import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { objectiveContract } from '../contract.case.js';
import { IGNORE_INDEX, type DocumentExample, type ModelInput } from '../../batch/row.js';
import { corpus, isRun, pairVocab as vocab, segments, sentenceTokens } from '../pairs/pairs.case.js';
import { nspObjective, type NspOptions } from './index.js';

const run = (docs: DocumentExample[], opts: Partial<NspOptions> = {}, seed = 1, epoch = 0): ModelInput[] => [
  ...nspObjective.transform(docs, nspObjective.resolve(opts), { seed, epoch, vocab }),
];
const docSkip = { batching: 'document objectives take the whole corpus' };

objectiveContract({
  objective: nspObjective,
  vocab,
  input: () => corpus(6, 8, 3, 30),
  options: { maxSeqLen: 64 },
  selectsTokens: true,
  skip: docSkip,
});
objectiveContract({
  objective: nspObjective,
  vocab,
  input: () => corpus(6, 8, 3, 30),
  options: { maxSeqLen: 64, compat: 'bert' },
  selectsTokens: true,
  skip: docSkip,
  variant: 'compat bert',
});
objectiveContract({
  objective: nspObjective,
  vocab,
  input: () => corpus(6, 8, 3, 30),
  options: { maxSeqLen: 64, maskProb: 0 },
  skip: { ...docSkip, noSpecialSelected: 'maskProb 0: no MLM labels' },
  variant: 'maskProb 0',
});

describe('nsp pairs', () => {
  it('[CLS] A [SEP] B [SEP], segment ids, attention mask, length <= maxSeqLen', () => {
    for (const maxSeqLen of [8, 32, 128]) {
      for (const r of run(corpus(10, 12, 1, 60), { maxSeqLen })) {
        const ids = Array.from(r.input_ids);
        const L = ids.length;
        expect(L).toBeLessThanOrEqual(maxSeqLen);
        const sep = ids.indexOf(3);
        expect(ids[0]).toBe(2);
        expect(sep).toBeGreaterThan(1); // A non-empty
        expect(ids[L - 1]).toBe(3);
        expect(L - 1).toBeGreaterThan(sep + 1); // B non-empty
        expect(Array.from(r.token_type_ids!)).toEqual(ids.map((_, i) => (i <= sep ? 0 : 1)));
        expect(Array.from(r.attention_mask!)).toEqual(ids.map(() => 1));
        expect([0, 1]).toContain(r.next_sentence_label);
      }
    }
  });

  it('IsNext B is the true continuation of A; NotNext B never comes from the same document', () => {
    let isNext = 0;
    let notNext = 0;
    for (let seed = 0; seed < 20; seed++) {
      const docs = corpus(20, 10, 1, 25, seed);
      // maxSeqLen large enough that nothing is truncated: segments equal their sentence ranges (or a split sentence)
      for (const r of run(docs, { maxSeqLen: 512, maskProb: 0 }, seed)) {
        const { a, b } = r.source!;
        const [A, B] = segments(r);
        if (r.next_sentence_label === 0) {
          isNext++;
          expect(b.doc).toBe(a.doc);
          if (b.start === a.start) {
            // one-sentence chunk split at a token boundary: A then B is the sentence
            expect(b.end).toBe(a.start + 1);
            expect([...A, ...B]).toEqual(sentenceTokens(docs, a));
          } else {
            expect(b.start).toBe(a.end);
            expect(A).toEqual(sentenceTokens(docs, a));
            expect(B).toEqual(sentenceTokens(docs, b));
          }
        } else {
          notNext++;
          expect(b.doc).not.toBe(a.doc);
          expect(B).toEqual(sentenceTokens(docs, b));
          expect(isRun(A, sentenceTokens(docs, a))).toBe(true);
        }
      }
    }
    expect(isNext).toBeGreaterThan(100);
    expect(notNext).toBeGreaterThan(100);
  });

  it('truncation keeps contiguous runs of each segment', () => {
    const docs = corpus(8, 10, 5, 80);
    for (const r of run(docs, { maxSeqLen: 40, maskProb: 0 })) {
      const [A, B] = segments(r);
      expect(A.length + B.length).toBeLessThanOrEqual(37);
      expect(isRun(A, sentenceTokens(docs, r.source!.a))).toBe(true);
      expect(isRun(B, sentenceTokens(docs, r.source!.b))).toBe(true);
    }
  });

  it('NotNext puts the unused chunk sentences back (A ranges tile the document)', () => {
    const docs = corpus(4, 30, 4, 12);
    const rows = run(docs, { maxSeqLen: 64, nspProb: 1, maskProb: 0, shortSeqProb: 0 });
    for (let d = 0; d < docs.length; d++) {
      const as = rows.filter((r) => r.source!.a.doc === d).map((r) => r.source!.a);
      expect(as[0].start).toBe(0);
      for (let k = 1; k < as.length; k++)
        expect(as[k].start === as[k - 1].end || (as[k].start === as[k - 1].start && as[k].end === as[k - 1].end)).toBe(
          true,
        );
    }
  });

  // One-sentence chunks everywhere: sentences longer than maxSeqLen - 3 fill a chunk alone.
  // Binomial(n >= 1500, 0.5): |rate - 0.5| > 0.06 is > 4.6 sd, probability < 1e-5.
  it('NotNext rate is 1/2 by default; compat bert forces one-sentence chunks to NotNext (rate > 1/2)', () => {
    const long = corpus(100, 16, 130, 140, 3);
    const labels = run(long, { maxSeqLen: 128, maskProb: 0 }).map((r) => r.next_sentence_label!);
    expect(labels.length).toBeGreaterThanOrEqual(1500);
    expect(Math.abs(labels.reduce((s, y) => s + y, 0) / labels.length - 0.5)).toBeLessThan(0.06);
    expect(run(long, { maxSeqLen: 128, maskProb: 0, compat: 'bert' }).every((r) => r.next_sentence_label === 1)).toBe(
      true,
    );
    // mixed corpus: half the chunks single-sentence -> BERT's rate about 3/4
    const mixed = corpus(100, 20, 20, 140, 4);
    const bert = run(mixed, { maxSeqLen: 128, maskProb: 0, compat: 'bert' }).map((r) => r.next_sentence_label!);
    const ours = run(mixed, { maxSeqLen: 128, maskProb: 0 }).map((r) => r.next_sentence_label!);
    const rate = (ys: number[]) => ys.reduce((s, y) => s + y, 0) / ys.length;
    expect(bert.length).toBeGreaterThan(1000);
    expect(rate(bert)).toBeGreaterThan(0.56);
    expect(Math.abs(rate(ours) - 0.5)).toBeLessThan(0.06);
  });

  it('one-sentence chunks of one token are skipped, never forced to NotNext', () => {
    const docs = [0, 1].map((d) => ({ id: d, sentences: [Int32Array.of(10 + d)] }));
    expect(run(docs, { maskProb: 0 })).toEqual([]);
    const bert = run(docs, { maskProb: 0, compat: 'bert' });
    expect(bert.map((r) => r.next_sentence_label)).toEqual([1, 1]);
  });

  // Documents of 125 one-token sentences, maxSeqLen 128 (max_num_tokens 125), nspProb 0: a document's first pair has
  // 128 tokens unless its target was drawn short (p = 0.1 x 123/124). n = 3000: 4.5 sd = 0.025, failure < 1e-5.
  it('short target length with probability shortSeqProb, once per document (BERT)', () => {
    const docs = Array.from({ length: 3000 }, (_, d) => ({
      id: d,
      sentences: Array.from({ length: 125 }, (_, s) => Int32Array.of(10 + ((d + s) % 900))),
    }));
    const first = new Map<number, number>();
    for (const r of run(docs, { maxSeqLen: 128, nspProb: 0, maskProb: 0 }))
      if (!first.has(r.source!.a.doc)) first.set(r.source!.a.doc, r.input_ids.length);
    expect(first.size).toBe(3000);
    const short = [...first.values()].filter((L) => L < 128);
    expect(Math.abs(short.length / 3000 - (0.1 * 123) / 124)).toBeLessThan(0.025);
    expect(Math.min(...short)).toBeGreaterThanOrEqual(5); // randint(2, 125) + 3
  });

  it('MLM on the pair: labels at selected positions only, never on [CLS]/[SEP]; maskProb 0 omits labels', () => {
    const docs = corpus(6, 10, 5, 40);
    let selected = 0;
    for (const r of run(docs, { maxSeqLen: 128 })) {
      const types = Array.from(r.token_type_ids!);
      const specials = [0, types.indexOf(1) - 1, types.length - 1];
      r.labels!.forEach((y, i) => {
        if (y === IGNORE_INDEX) return;
        selected++;
        expect(y).toBeGreaterThanOrEqual(10);
        expect(specials).not.toContain(i);
      });
    }
    expect(selected).toBeGreaterThan(0);
    for (const r of run(docs, { maxSeqLen: 128, maskProb: 0 })) {
      expect(r.labels).toBeUndefined();
      expect(Array.from(r.input_ids)).not.toContain(4);
    }
  });

  it('whole-word masking uses the documents’ word_ids and needs them', () => {
    const docs = corpus(4, 6, 4, 20).map((d) => ({
      ...d,
      word_ids: d.sentences.map((s) => Int32Array.from(s, (_, i) => i >> 1)),
    }));
    const rows = run(docs, { maxSeqLen: 64, wholeWord: true, maskProb: 0.3 });
    expect(rows.some((r) => r.labels!.some((y) => y !== IGNORE_INDEX))).toBe(true);
    expect(() => run(corpus(4, 6, 4, 20), { wholeWord: true })).toThrow(
      /wholeWord needs word ids on every document; document 0 has no word_ids/,
    );
  });

  it('epochs re-draw; the same (seed, epoch) repeats', () => {
    const docs = corpus(5, 10, 3, 30);
    const key = (rows: ModelInput[]) => rows.map((r) => Array.from(r.input_ids).join(',')).join('|');
    expect(key(run(docs, {}, 1, 0))).toBe(key(run(docs, {}, 1, 0)));
    expect(key(run(docs, {}, 1, 0))).not.toBe(key(run(docs, {}, 1, 1)));
  });

  it('errors: one document, missing [CLS]/[SEP], bad options, empty sentences tolerated', () => {
    const one = corpus(1, 5, 3, 10);
    expect(() => run(one)).toThrow(/nsp needs at least two documents/);
    expect(run(one, { compat: 'bert' }).every((r) => r.source!.b.doc === 0)).toBe(true); // BERT: B from the same document
    expect(run(one, { nspProb: 0 }).length).toBeGreaterThan(0);
    expect(() => [
      ...nspObjective.transform(corpus(2, 2, 2, 2), nspObjective.resolve({}), {
        seed: 0,
        epoch: 0,
        vocab: { ...vocab, clsId: undefined },
      }),
    ]).toThrow(PretextError);
    for (const bad of [
      { maxSeqLen: 4 },
      { shortSeqProb: 2 },
      { nspProb: -0.1 },
      { compat: 'roberta' },
      { maskProb: 1.5 },
      { nope: 1 },
    ] as object[]) {
      expect(() => nspObjective.resolve(bad as Partial<NspOptions>)).toThrow(PretextError);
    }
    const docs = corpus(3, 4, 3, 10);
    docs[1].sentences.splice(1, 0, new Int32Array(0));
    for (const r of run(docs, { maxSeqLen: 512 }))
      for (const g of [r.source!.a, r.source!.b]) expect(docs[g.doc].sentences[g.start].length).toBeGreaterThan(0);
  });

  it('options include the MLM options with MLM compat renamed mlmCompat', () => {
    const keys = nspObjective.options.map((o) => o.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'maxSeqLen',
        'shortSeqProb',
        'nspProb',
        'compat',
        'maskProb',
        'maskReplaceProb',
        'wholeWord',
        'mlmCompat',
      ]),
    );
    expect(new Set(keys).size).toBe(keys.length);
    for (const o of nspObjective.options) expect(o.help.length).toBeGreaterThan(0);
  });
});
