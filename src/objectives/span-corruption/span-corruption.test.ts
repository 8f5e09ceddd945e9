import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { objectiveContract } from '../contract.case.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import { normalizeVocab } from '../../tokenize/vocab.js';
import {
  computeInputAndTargetLengths,
  encodedLengths,
  noiseCounts,
  randomSpansNoiseMask,
  spanCorruptionObjective,
  type SpanCorruptionOptions,
} from './index.js';

// T5-like: pad 0, EOS 1, unk 2; the top 100 ids are sentinels.
const V = 32100;
const vocab = normalizeVocab({ vocabSize: V, padId: 0, eosId: 1, unkId: 2, specialIds: [] });
const row = (L: number, seed = 0): TokenExample => {
  const r = Rng.of(seed, 0, 0, 'fixture');
  return { input_ids: Int32Array.from({ length: L }, () => r.int(32000)) }; // id 0 included on purpose (transformers#12755)
};
const run = (
  rows: TokenExample[],
  opts: Partial<SpanCorruptionOptions> = {},
  seed = 1,
  startIndex = 0,
): ModelInput[] => [
  ...spanCorruptionObjective.transform(rows, spanCorruptionObjective.resolve(opts), {
    seed,
    epoch: 0,
    vocab,
    startIndex,
  }),
];

/** Interleave inputs and targets by sentinel: the original row. */
function reconstruct(r: ModelInput): number[] {
  const spans = new Map<number, number[]>();
  const t = Array.from(r.labels!).slice(0, -1);
  for (let i = 0, cur: number[] = []; i < t.length; i++) {
    if (t[i] >= V - 100) spans.set(t[i], (cur = []));
    else cur.push(t[i]);
  }
  return Array.from(r.input_ids)
    .slice(0, -1)
    .flatMap((x) => (x >= V - 100 ? spans.get(x)! : [x]));
}

objectiveContract({
  objective: spanCorruptionObjective,
  vocab,
  input: () => [row(568, 1), row(100, 2), row(37, 3), row(1, 4), row(2, 5), row(300, 6)],
  skip: { noSpecialSelected: 'labels are the T5 targets: sentinels and EOS belong there' },
});

describe('T5 lengths (random_spans_helper)', () => {
  it('published numbers', () => {
    expect(computeInputAndTargetLengths(512, 0.15, 3)).toEqual({ rawLength: 568, targetsLength: 114 });
    expect(computeInputAndTargetLengths(128, 0.15, 3)).toEqual({ rawLength: 141, targetsLength: 29 });
    expect(computeInputAndTargetLengths(256, 0.15, 3)).toEqual({ rawLength: 284, targetsLength: 58 });
    expect(computeInputAndTargetLengths(1024, 0.15, 3)).toEqual({ rawLength: 1137, targetsLength: 229 });
    expect(computeInputAndTargetLengths(512, 0.5, 3)).toEqual({ rawLength: 766, targetsLength: 512 });
    for (const L of [128, 256, 512, 1024])
      expect(computeInputAndTargetLengths(L, 0.15, 3, 'hf')).toEqual(computeInputAndTargetLengths(L, 0.15, 3));
  });

  it('degenerate mean span 1.0: T5 511 raw / 512 inputs, HF 512 raw / 513 inputs', () => {
    expect(computeInputAndTargetLengths(512, 0.15, 1).rawLength).toBe(511);
    expect(encodedLengths(511, 0.15, 1)[0]).toBe(512);
    expect(computeInputAndTargetLengths(512, 0.15, 1, 'hf').rawLength).toBe(512);
    expect(encodedLengths(512, 0.15, 1)[0]).toBe(513);
  });

  it('rounds half to even (30 x 0.15 = 4.5 -> 4)', () => {
    expect(noiseCounts(30, 0.15, 3)).toEqual({ noise: 4, spans: 1 });
    expect(encodedLengths(30, 0.15, 3)).toEqual([26 + 1 + 1, 4 + 1 + 1]);
  });
});

describe('T5 noise mask', () => {
  it('first token never noise, last always; counts exact for every seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 2, max: 700 }),
        fc.constantFrom(0.15, 0.3, 0.5),
        fc.constantFrom(1, 3, 8),
        (seed, L, d, mean) => {
          const m = randomSpansNoiseMask(L, d, mean, Rng.of(seed, 0, 0, 'm'));
          const { noise, spans } = noiseCounts(L, d, mean);
          expect(m[0]).toBe(0);
          expect(m[L - 1]).toBe(1);
          expect(m.reduce((s, x) => s + x, 0)).toBe(noise);
          let runs = 0;
          for (let i = 0; i < L; i++) if (m[i] && !m[i - 1]) runs++;
          expect(runs).toBe(Math.min(spans, L - noise)); // more spans than kept tokens: extra kept parts are empty (T5)
        },
      ),
      { numRuns: 300 },
    );
  });

  it('density 0 -> no noise; length 1 -> no noise (T5 works on max(L, 2) and truncates)', () => {
    expect(Array.from(randomSpansNoiseMask(10, 0, 3, Rng.of(0, 0, 0, 'm')))).toEqual(new Array(10).fill(0));
    expect(Array.from(randomSpansNoiseMask(1, 0.15, 3, Rng.of(0, 0, 0, 'm')))).toEqual([0]);
  });

  // L = 12, density 0.5, mean 2: 6 noise in 3 spans, 6 kept in 3 spans, C(5,2)^2 = 100 equally likely masks.
  // 20000 draws, chi-square with 99 df: P(stat > 171) < 1e-5.
  it('all masks with the given counts are equally likely', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      const k = randomSpansNoiseMask(12, 0.5, 2, Rng.of(3, 0, i, 'm')).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(100);
    const chi = [...counts.values()].reduce((s, c) => s + (c - 200) ** 2 / 200, 0);
    expect(chi).toBeLessThan(171);
  });

  it('randomRoll rotates: same noise count, the first token can be noise', () => {
    let firstNoise = 0;
    for (let i = 0; i < 200; i++) {
      const m = randomSpansNoiseMask(100, 0.15, 3, Rng.of(1, 0, i, 'm'), { randomRoll: true });
      expect(m.reduce((s, x) => s + x, 0)).toBe(15);
      firstNoise += m[0];
    }
    expect(firstNoise).toBeGreaterThan(0);
  });
});

describe('span corruption', () => {
  it('at raw 568 (density .15, mean 3): inputs 512, targets 114, 28 spans, 85 noise tokens, reconstruction, for every seed', () => {
    const r0 = row(568, 9);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 2 ** 40 }), (seed, index) => {
        const [r] = run([r0], { inputsLength: 512 }, seed, index);
        expect(r.input_ids.length).toBe(512);
        expect(r.labels!.length).toBe(114);
        const sentinels = Array.from(r.input_ids).filter((x) => x >= V - 100);
        expect(sentinels).toEqual(Array.from({ length: 28 }, (_, k) => V - 1 - k));
        expect(Array.from(r.labels!).filter((x) => x >= V - 100)).toEqual(sentinels);
        expect(r.labels!.length - 28 - 1).toBe(85);
        expect(reconstruct(r)).toEqual(Array.from(r0.input_ids));
        expect(r.input_ids[511]).toBe(1);
        expect(r.labels![113]).toBe(1);
        expect(r.labels![0]).toBe(V - 1); // targets open with <extra_id_0>
      }),
      { numRuns: 200 },
    );
  });

  it('the span layout path equals corruption by T5 noise mask (same stream), including more spans than kept tokens', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 2, max: 300 }),
        fc.constantFrom(0.15, 0.5, 0.9),
        fc.constantFrom(1, 2, 3),
        (seed, L, d, mean) => {
          const x = { input_ids: row(L, seed).input_ids.map((t) => t % 20000) }; // up to 270 sentinels here
          const [r] = run([x], { noiseDensity: d, meanSpanLength: mean }, seed, 7);
          const m = randomSpansNoiseMask(L, d, mean, Rng.of(seed, 0, 7, 'span-corruption.mask'));
          const ids = Array.from(x.input_ids);
          const inputs: number[] = [];
          const targets: number[] = [];
          let s = V;
          ids.forEach((t, i) => {
            if (m[i] && !m[i - 1]) inputs.push(--s), targets.push(s);
            (m[i] ? targets : inputs).push(t);
          });
          expect(Array.from(r.input_ids)).toEqual([...inputs, 1]);
          expect(Array.from(r.labels!)).toEqual([...targets, 1]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decoder_input_ids = labels shifted right after the pad id; attention mask over the inputs', () => {
    for (const r of run([row(100), row(568, 2)])) {
      expect(Array.from(r.decoder_input_ids!)).toEqual([0, ...Array.from(r.labels!).slice(0, -1)]);
      expect(Array.from(r.attention_mask!)).toEqual(new Array(r.input_ids.length).fill(1));
    }
  });

  it('real id-0 tokens survive (transformers#12755); reconstruction with randomRoll and other densities', () => {
    const zeros = { input_ids: new Int32Array(50) };
    for (const [r] of [run([zeros]), run([zeros], { noiseDensity: 0.5, meanSpanLength: 2 })])
      expect(reconstruct(r)).toEqual(new Array(50).fill(0));
    for (let i = 0; i < 50; i++) {
      const x = row(80 + i, i);
      const [r] = run([x], { randomRoll: true, noiseDensity: 0.3 }, 2, i);
      expect(reconstruct(r)).toEqual(Array.from(x.input_ids));
    }
  });

  it('density 0: inputs = row + EOS, targets = EOS', () => {
    const [r] = run([row(10)], { noiseDensity: 0 });
    expect(Array.from(r.input_ids)).toEqual([...Array.from(row(10).input_ids), 1]);
    expect(Array.from(r.labels!)).toEqual([1]);
  });

  it('errors: wrong raw length, a row holding a sentinel id, no EOS, bad options', () => {
    expect(() => run([row(500)], { inputsLength: 512 })).toThrow(
      /row 0 has 500 tokens; inputsLength 512 needs rows of exactly 568/,
    );
    const x = row(100);
    x.input_ids[5] = V - 3;
    expect(() => run([x])).toThrow(/row 0 contains id 32097, one of the sentinel ids/);
    expect(() => [
      ...spanCorruptionObjective.transform([row(10)], spanCorruptionObjective.resolve({}), {
        seed: 0,
        epoch: 0,
        vocab: { ...vocab, eosId: undefined },
      }),
    ]).toThrow(/eosId/);
    for (const bad of [
      { noiseDensity: 1.5 },
      { meanSpanLength: 0.5 },
      { inputsLength: 1 },
      { compat: 't5x' },
      { randomRoll: 1 },
    ] as object[]) {
      expect(() => spanCorruptionObjective.resolve(bad as Partial<SpanCorruptionOptions>)).toThrow(PretextError);
    }
  });
});
