import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { objectiveContract } from '../contract.case.js';
import { collect, expectBinomial, plainRows, VOCAB, wordRows } from '../mlm/fixtures.case.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { specialMask } from '../../tokenize/vocab.js';
import {
  corruptedInput,
  discriminatorLabels,
  electraCount,
  electraMask,
  electraObjective,
  resolveElectraOptions,
} from './index.js';

const special = specialMask(VOCAB);
const MASK = VOCAB.maskId!;

objectiveContract({ objective: electraObjective, vocab: VOCAB, input: () => wordRows(12, 3), selectsTokens: true });
objectiveContract({
  objective: electraObjective,
  vocab: VOCAB,
  options: { maskProb: 0.25, maxPredictions: 3 },
  input: () => wordRows(12, 4),
  selectsTokens: true,
  variant: 'p 0.25, cap 3',
});

describe('electra: masking rules', () => {
  it('count: max(1, min(maxPredictions, round(L x p))), default cap int((p + 0.005) x maxSeqLength)', () => {
    const o = resolveElectraOptions({});
    expect(electraCount(128, o)).toBe(19); // cap 19, round(19.2) = 19
    expect(electraCount(512, resolveElectraOptions({ maxSeqLength: 512 }))).toBe(77); // cap 79, round(76.8) = 77
    expect(electraCount(30, o)).toBe(4); // round(4.5) = 4 (half to even)
    expect(electraCount(3, o)).toBe(1); // round(0.45) = 0 -> max(1, 0)
    expect(electraCount(512, resolveElectraOptions({ maskProb: 0.25, maxSeqLength: 512 }))).toBe(128); // cap 130
    expect(electraCount(512, resolveElectraOptions({ maxPredictions: 20 }))).toBe(20);
    expect(electraCount(200, resolveElectraOptions({ maxPredictions: 79 }))).toBe(30);
  });

  it('draws num positions with replacement among non-special tokens; labels are the originals there, -100 elsewhere', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 200 }), fc.integer({ min: 0, max: 1e6 }), (len, seed) => {
        const row = plainRows(1, len, seed)[0];
        const o = resolveElectraOptions({ maxSeqLength: 200 });
        const out = electraMask(row.input_ids, o, VOCAB, Rng.of(seed, 0, 0, 'e'));
        expect(out.masked_positions.length).toBe(electraCount(len, o));
        const drawn = new Set(out.masked_positions);
        for (const p of drawn) expect(special[row.input_ids[p]]).toBe(0);
        for (let i = 0; i < len; i++) {
          expect(out.labels[i]).toBe(drawn.has(i) ? row.input_ids[i] : IGNORE_INDEX);
          if (!drawn.has(i)) expect(out.input_ids[i]).toBe(row.input_ids[i]);
          else expect([MASK, row.input_ids[i]]).toContain(out.input_ids[i]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('duplicates happen (with replacement) and are kept in masked_positions', () => {
    const rows = plainRows(200, 40, 2); // 38 candidates, 6 draws: P(no duplicate) ~ 0.66 per row
    const out = collect(electraObjective, rows, { maskProb: 0.15 });
    const dupRows = out.filter(
      (r) => new Set(r.masked_positions as Int32Array).size < (r.masked_positions as Int32Array).length,
    ).length;
    expect(dupRows).toBeGreaterThan(20);
    // all draws on a 1-candidate row land on it
    const one = electraMask(
      Int32Array.of(2, 9, 3),
      resolveElectraOptions({ maskProb: 0.9 }),
      VOCAB,
      Rng.of(1, 0, 0, 'e'),
    );
    expect(Array.from(one.masked_positions)).toEqual([1, 1, 1]); // round(2.7) = 3 under the batch cap 19
  });

  it('a row with no eligible token draws nothing', () => {
    const out = electraMask(Int32Array.of(2, 3), resolveElectraOptions({}), VOCAB, Rng.of(1, 0, 0, 'e'));
    expect(out.masked_positions.length).toBe(0);
    expect(Array.from(out.labels)).toEqual([IGNORE_INDEX, IGNORE_INDEX]);
  });

  it('85% of the drawn positions become [MASK], 15% are kept, none random (5-sigma bound over 200k single draws)', () => {
    // Positions drawn exactly once are masked with probability 0.85 exactly; a correct implementation fails < 1e-6.
    let singles = 0;
    let masked = 0;
    let other = 0;
    const opts = resolveElectraOptions({ maxSeqLength: 512 });
    for (let r = 0; r < 3200; r++) {
      const row = plainRows(1, 512, r)[0];
      const out = electraMask(row.input_ids, opts, VOCAB, Rng.of(8, 0, r, 'electra'));
      const times = new Map<number, number>();
      for (const p of out.masked_positions) times.set(p, (times.get(p) ?? 0) + 1);
      for (const [p, n] of times) {
        const x = out.input_ids[p];
        if (x !== MASK && x !== row.input_ids[p]) other++;
        if (n !== 1) continue;
        singles++;
        if (x === MASK) masked++;
      }
    }
    expect(other).toBe(0);
    expect(singles).toBeGreaterThan(200_000);
    const b = expectBinomial(masked, singles, 0.85);
    expect(b.ok, b.detail).toBe(true);
  });
});

describe('electra: discriminator labels', () => {
  it('label 1 only where masked and the sample differs from the original', () => {
    const orig = Int32Array.of(2, 10, 11, 12, 13, 3);
    const pos = Int32Array.of(1, 3, 4);
    const sampled = Int32Array.of(20, 12, 30); // position 3 sampled its original
    expect(Array.from(corruptedInput(orig, pos, sampled))).toEqual([2, 20, 11, 12, 30, 3]);
    expect(Array.from(discriminatorLabels(orig, pos, sampled))).toEqual([0, 1, 0, 0, 1, 0]);
  });

  it('a duplicated position takes its last sample', () => {
    const orig = Int32Array.of(10, 11, 12);
    expect(Array.from(discriminatorLabels(orig, Int32Array.of(1, 1), Int32Array.of(50, 11)))).toEqual([0, 0, 0]);
    expect(Array.from(discriminatorLabels(orig, Int32Array.of(1, 1), Int32Array.of(11, 50)))).toEqual([0, 1, 0]);
  });

  it('property: labels = (masked and corrupted != original); inputs untouched', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 30 }).chain((o) =>
          fc.tuple(
            fc.constant(o),
            fc.array(fc.tuple(fc.integer({ min: 0, max: o.length - 1 }), fc.integer({ min: 0, max: 5 })), {
              maxLength: 20,
            }),
          ),
        ),
        ([o, draws]) => {
          const orig = Int32Array.from(o);
          const pos = Int32Array.from(draws.map((d) => d[0]));
          const sam = Int32Array.from(draws.map((d) => d[1]));
          const labels = discriminatorLabels(orig, pos, sam);
          const corrupted = corruptedInput(orig, pos, sam);
          expect(Array.from(orig)).toEqual(o);
          for (let i = 0; i < o.length; i++) expect(labels[i]).toBe(pos.includes(i) && corrupted[i] !== o[i] ? 1 : 0);
        },
      ),
    );
  });

  it('rejects mismatched lengths and out-of-row positions', () => {
    expect(() => discriminatorLabels(Int32Array.of(1, 2), Int32Array.of(0), Int32Array.of())).toThrow(PretextError);
    expect(() => discriminatorLabels(Int32Array.of(1, 2), Int32Array.of(2), Int32Array.of(5))).toThrow(
      'outside the row',
    );
  });
});

describe('electra: errors', () => {
  it('needs a [MASK] token and valid options', () => {
    const noMask = { ...VOCAB, maskId: undefined, specialIds: [0, 1, 2, 3] };
    expect(() => collect(electraObjective, plainRows(1, 5, 1), {}, 1, noMask)).toThrow(
      'the tokenizer has no [MASK] token; electra needs one',
    );
    expect(() => resolveElectraOptions({ maskProb: -0.1 })).toThrow(PretextError);
    expect(() => resolveElectraOptions({ maxPredictions: 0 })).toThrow('maxPredictions must be a positive integer');
    expect(() => resolveElectraOptions({ maskReplaceProb: 2 })).toThrow(PretextError);
  });
});
