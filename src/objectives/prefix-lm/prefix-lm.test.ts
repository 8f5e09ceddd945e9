import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { objectiveContract } from '../contract.case.js';
import { IGNORE_INDEX, type ModelInput, type TokenExample } from '../../batch/row.js';
import { normalizeVocab } from '../../tokenize/vocab.js';
import { prefixLmObjective, prefixRange, type PrefixLmOptions } from './index.js';

const vocab = normalizeVocab({ vocabSize: 500, padId: 0, eosId: 1, specialIds: [] });
const row = (L: number, base = 10): TokenExample => ({
  input_ids: Int32Array.from({ length: L }, (_, i) => base + (i % 400)),
});
const rows = () => [row(20), row(2), row(57), row(300, 50), row(5)];
const run = (xs: TokenExample[], opts: Partial<PrefixLmOptions> = {}, seed = 1, startIndex = 0): ModelInput[] => [
  ...prefixLmObjective.transform(xs, prefixLmObjective.resolve(opts), { seed, epoch: 0, vocab, startIndex }),
];

objectiveContract({
  objective: prefixLmObjective,
  vocab,
  input: rows,
  skip: { noSpecialSelected: 'labels are the targets, which end with EOS' },
});
objectiveContract({
  objective: prefixLmObjective,
  vocab,
  input: rows,
  options: { format: 'decoder' },
  variant: 'decoder',
  skip: { noSpecialSelected: 'labels are the row itself after the prefix' },
});

describe('prefix lm', () => {
  it('prefix length in [max(1, round((1 - 2d)(L - 1))), L - 1]; encoder-decoder and decoder forms rebuild the row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 600 }),
        fc.constantFrom(0, 0.1, 0.25, 0.4, 0.5),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (L, d, seed) => {
          const x = row(L);
          const [lo, hi] = prefixRange(L, d);
          const [e] = run([x], { noiseDensity: d }, seed);
          const P = e.prefix_length as number;
          expect(P).toBeGreaterThanOrEqual(lo);
          expect(P).toBeLessThanOrEqual(hi);
          const ids = Array.from(x.input_ids);
          expect(Array.from(e.input_ids)).toEqual([...ids.slice(0, P), 1]);
          expect(Array.from(e.labels!)).toEqual([...ids.slice(P), 1]);
          expect(Array.from(e.decoder_input_ids!)).toEqual([0, ...ids.slice(P)]);
          const [bare] = run([x], { noiseDensity: d, format: 'decoder', decoderEos: false }, seed);
          expect(bare.prefix_length).toBe(P); // same split in every form
          expect(Array.from(bare.input_ids)).toEqual(ids);
          expect(Array.from(bare.labels!)).toEqual(ids.map((t, i) => (i < P ? IGNORE_INDEX : t)));
          // seqio PrefixLM: prefix EOS target EOS; the prefix and its EOS are context
          const [dec] = run([x], { noiseDensity: d, format: 'decoder' }, seed);
          const joined = [...ids.slice(0, P), 1, ...ids.slice(P), 1];
          expect(dec.prefix_length).toBe(P + 1);
          expect(Array.from(dec.input_ids)).toEqual(joined);
          expect(Array.from(dec.labels!)).toEqual(joined.map((t, i) => (i <= P ? IGNORE_INDEX : t)));
        },
      ),
      { numRuns: 300 },
    );
    expect(prefixRange(101, 0.25)).toEqual([50, 100]);
    expect(prefixRange(2, 0.5)).toEqual([1, 1]);
    expect(prefixRange(10, 0)).toEqual([9, 9]);
  });

  // L = 6, d = 0.5: P uniform on {1..5}. 10000 rows, chi-square with 4 df: P(stat > 28.5) < 1e-5.
  it('the split is uniform', () => {
    const counts = [0, 0, 0, 0, 0, 0];
    const xs = Array.from({ length: 10000 }, () => row(6));
    for (const r of run(xs)) counts[r.prefix_length as number]++;
    expect(counts[0]).toBe(0);
    const chi = counts.slice(1).reduce((s, c) => s + (c - 2000) ** 2 / 2000, 0);
    expect(chi).toBeLessThan(28.5);
  });

  it('errors: one-token row, empty row, density above 0.5, no EOS in encoder-decoder form', () => {
    expect(() => run([row(1)])).toThrow(/row 0 has 1 token/);
    expect(() => run([{ input_ids: new Int32Array(0) }])).toThrow(PretextError);
    expect(() => prefixLmObjective.resolve({ noiseDensity: 0.6 })).toThrow(PretextError);
    const noEos = { ...vocab, eosId: undefined };
    expect(() => [
      ...prefixLmObjective.transform([row(5)], prefixLmObjective.resolve({}), { seed: 0, epoch: 0, vocab: noEos }),
    ]).toThrow(/eosId/);
    expect(() => [
      ...prefixLmObjective.transform([row(5)], prefixLmObjective.resolve({ format: 'decoder' }), {
        seed: 0,
        epoch: 0,
        vocab: noEos,
      }),
    ]).toThrow(/eosId/);
    expect([
      ...prefixLmObjective.transform([row(5)], prefixLmObjective.resolve({ format: 'decoder', decoderEos: false }), {
        seed: 0,
        epoch: 0,
        vocab: noEos,
      }),
    ]).toHaveLength(1);
  });
});
