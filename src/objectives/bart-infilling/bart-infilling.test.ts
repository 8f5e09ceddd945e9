import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { objectiveContract } from '../contract.case.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import { normalizeVocab, specialMask } from '../../tokenize/vocab.js';
import {
  bartInfillingObjective,
  drawSpanLengths,
  planSpans,
  poissonCdf,
  wordStarts,
  type BartInfillingOptions,
} from './index.js';

// fairseq's dictionary layout: <s> 0, <pad> 1, </s> 2, <unk> 3, <mask> last.
const V = 500;
const MASK = 499;
const vocab = normalizeVocab({ vocabSize: V, bosId: 0, padId: 1, eosId: 2, unkId: 3, maskId: MASK, specialIds: [] });
/** <s> w ... </s>, ids unique per position; word ids group tokens in words of 1-3 tokens when `words`. */
function row(L: number, seed = 0, words = false): TokenExample {
  const ids = Int32Array.from({ length: L }, (_, i) => (i === 0 ? 0 : i === L - 1 ? 2 : 10 + i));
  if (!words) return { input_ids: ids };
  const r = Rng.of(seed, 0, 0, 'words');
  const w = new Int32Array(L);
  let id = -1;
  for (let i = 0, left = 0; i < L; i++) {
    if (i === 0 || i === L - 1) w[i] = -1;
    else {
      if (left === 0) id++, (left = r.intBetween(1, 3));
      w[i] = id;
      left--;
    }
  }
  return { input_ids: ids, word_ids: w };
}
const run = (xs: TokenExample[], opts: Partial<BartInfillingOptions> = {}, seed = 1, startIndex = 0): ModelInput[] => [
  ...bartInfillingObjective.transform(xs, bartInfillingObjective.resolve(opts), { seed, epoch: 0, vocab, startIndex }),
];
const count = (xs: ArrayLike<number>, v: number) => Array.from(xs).filter((x) => x === v).length;

objectiveContract({
  objective: bartInfillingObjective,
  vocab,
  input: () => [row(40), row(3), row(1), row(120, 1, true), row(2)],
  skip: { noSpecialSelected: 'labels are the whole original row, <s> and </s> included' },
});

describe('fairseq span lengths', () => {
  it('Poisson(3) truncated at the first k with pmf < 1e-7 (kept), normalised', () => {
    const cdf = poissonCdf(3);
    const pmf = (k: number) => (Math.exp(-3) * 3 ** k) / [...Array(k).keys()].reduce((f, j) => f * (j + 1), 1);
    const K = cdf.length - 1;
    expect(pmf(K)).toBeLessThan(1e-7);
    expect(pmf(K - 1)).toBeGreaterThanOrEqual(1e-7);
    expect(cdf[K]).toBeCloseTo(1, 12);
    expect(cdf[0]).toBeCloseTo(Math.exp(-3), 6);
  });

  it('lengths drawn until the budget, last trimmed: sum = budget exactly', () => {
    const cdf = poissonCdf(3);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 300 }), (seed, budget) => {
        const ls = drawSpanLengths(budget, cdf, Rng.of(seed, 0, 0, 'l'));
        expect(ls.reduce((s, k) => s + k, 0)).toBe(budget);
        expect(ls[ls.length - 1]).toBeGreaterThan(0);
      }),
    );
  });

  it('plan: ceil(#word starts x mask) words in spans at distinct word starts; first and last never starts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(0.1, 0.3, 0.5, 1),
        fc.boolean(),
        (seed, L, mask, words) => {
          const x = row(L, seed, words);
          const isStart = wordStarts(L, x.word_ids);
          expect(isStart[0]).toBe(0);
          expect(isStart[L - 1] ?? 0).toBe(0);
          const nStarts = isStart.reduce((s, v) => s + v, 0);
          const plan = planSpans(isStart, mask, 0.1, poissonCdf(3), Rng.of(seed, 0, 0, 'p'));
          expect(plan.lengths.reduce((s, k) => s + k, 0)).toBe(Math.ceil(nStarts * mask));
          expect(new Set(plan.starts).size).toBe(plan.starts.length);
          for (const p of plan.starts) expect(isStart[p]).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The expected noised row for replaceLength 1 and maskRandom 0, from the plan the objective draws first. */
function expected(
  x: TokenExample,
  seed: number,
  index: number,
  mask = 0.3,
): { out: number[]; inserts: number; covered: Set<number> } {
  const ids = Array.from(x.input_ids);
  const L = ids.length;
  const isStart = wordStarts(L, x.word_ids);
  const plan = planSpans(isStart, mask, 0, poissonCdf(3.5), Rng.of(seed, 0, index, 'bart-infilling.noise'));
  const cont = new Set<number>();
  const covered = new Set<number>();
  plan.starts.forEach((p, s) => {
    covered.add(p);
    let words = plan.lengths[s] - 1;
    for (let q = p + 1; q < L - 1; q++) {
      words -= isStart[q];
      if (words < 0) break;
      cont.add(q);
      covered.add(q);
    }
  });
  const starts = new Set(plan.starts);
  const out = ids.flatMap((t, p) => (cont.has(p) ? [] : starts.has(p) ? [MASK] : [t]));
  return { out, inserts: plan.inserts, covered };
}

describe('bart infilling', () => {
  it('one <mask> per span (overlapping spans merge), rest of the span deleted; labels = row; decoder = [</s>, row[:-1]]', () => {
    let exact = 0;
    for (let i = 0; i < 200; i++) {
      const x = row(30 + (i % 90), i, i % 2 === 0);
      const [r] = run([x], { maskRandom: 0 }, 5, i);
      const e = expected(x, 5, i);
      if (e.inserts === 0) {
        expect(Array.from(r.input_ids)).toEqual(e.out);
        exact++;
      } else {
        expect(r.input_ids.length).toBe(e.out.length + e.inserts);
        expect(count(r.input_ids, MASK)).toBe(count(e.out, MASK) + e.inserts);
      }
      expect(Array.from(r.labels!)).toEqual(Array.from(x.input_ids));
      expect(Array.from(r.decoder_input_ids!)).toEqual([2, ...Array.from(x.input_ids).slice(0, -1)]);
      expect(r.input_ids[0]).toBe(0);
      expect(r.input_ids[r.input_ids.length - 1]).toBe(2);
    }
    expect(exact).toBeGreaterThan(100);
  });

  it('replaceLength -1 masks every span token; 0 deletes spans; spans cover whole words', () => {
    for (let i = 0; i < 100; i++) {
      const x = row(60, i, true);
      const e = expected(x, 2, i);
      if (e.inserts > 0) continue;
      const [all] = run([x], { maskRandom: 0, replaceLength: -1 }, 2, i);
      const ids = Array.from(x.input_ids);
      expect(Array.from(all.input_ids)).toEqual(ids.map((t, p) => (e.covered.has(p) ? MASK : t)));
      const w = x.word_ids!;
      for (const p of e.covered) {
        if (p > 1 && w[p - 1] === w[p]) expect(e.covered.has(p - 1)).toBe(true); // a covered word is covered from its start
        if (p < 58 && w[p + 1] === w[p]) expect(e.covered.has(p + 1)).toBe(true); // ... to its end
      }
      const [del] = run([x], { maskRandom: 0, replaceLength: 0 }, 2, i);
      expect(Array.from(del.input_ids)).toEqual(ids.filter((_, p) => !e.covered.has(p)));
    }
  });

  it('maskRandom 1: span starts become random non-special ids', () => {
    const special = specialMask(vocab);
    const x = row(100);
    const [r] = run([x], { maskRandom: 1 });
    expect(count(r.input_ids, MASK)).toBe(0);
    for (const t of r.input_ids.subarray(1, -1)) expect(special[t]).toBe(0);
    expect(Array.from(r.input_ids)).not.toEqual(Array.from(x.input_ids));
  });

  it('insert adds ceil(L x insert) masks inside; rotate keeps the ends and rotates the middle', () => {
    const x = row(50);
    const [ins] = run([x], { mask: 0, insert: 0.1, maskRandom: 0 });
    expect(ins.input_ids.length).toBe(55);
    expect(count(ins.input_ids, MASK)).toBe(5);
    expect(Array.from(ins.input_ids).filter((t) => t !== MASK)).toEqual(Array.from(x.input_ids));
    let rotated = 0;
    for (let i = 0; i < 20; i++) {
      const [r] = run([x], { mask: 0, rotate: 1 }, 1, i);
      const mid = Array.from(x.input_ids).slice(1, -1);
      const got = Array.from(r.input_ids);
      expect([got[0], got[49]]).toEqual([0, 2]);
      const k = mid.indexOf(got[1]);
      expect(got.slice(1, -1)).toEqual([...mid.slice(k), ...mid.slice(0, k)]);
      if (k > 0) rotated++;
    }
    expect(rotated).toBeGreaterThan(10);
  });

  it('permuteSentences shuffles whole sentences between <s> and </s>', () => {
    const STOP = 9;
    const ids = [0];
    for (let s = 0; s < 8; s++) ids.push(...Array.from({ length: 2 + s }, (_, j) => 100 + 10 * s + j), STOP);
    ids.push(2);
    const x = { input_ids: Int32Array.from(ids) };
    const sentences = (a: number[]) =>
      a
        .slice(1, -1)
        .join(' ')
        .split(` ${STOP}`)
        .map((s) => s.trim())
        .filter(Boolean)
        .sort();
    let moved = 0;
    for (let i = 0; i < 20; i++) {
      const [r] = run([x], { mask: 0, permuteSentences: 1, fullStopId: STOP }, 1, i);
      const got = Array.from(r.input_ids);
      expect(got.length).toBe(ids.length);
      expect([got[0], got[got.length - 1]]).toEqual([0, 2]);
      expect(sentences(got)).toEqual(sentences(ids));
      if (got.join() !== ids.join()) moved++;
    }
    expect(moved).toBeGreaterThan(15);
  });

  it('rows too short for word starts pass through; bad options and word_ids are PretextErrors', () => {
    expect(Array.from(run([row(2)])[0].input_ids)).toEqual([0, 2]);
    for (const bad of [
      { mask: 1.2 },
      { replaceLength: 2 },
      { poissonLambda: 0 },
      { poissonLambda: 40 },
      { permuteSentences: 0.5 },
      { rotate: -1 },
    ] as object[]) {
      expect(() => bartInfillingObjective.resolve(bad as Partial<BartInfillingOptions>)).toThrow(PretextError);
    }
    expect(() => run([{ input_ids: row(5).input_ids, word_ids: new Int32Array(3) }])).toThrow(
      /5 tokens but 3 word ids/,
    );
  });
});

describe("BART's recipe defaults (issue 7)", () => {
  it('poissonLambda 3.5; permuteSentences 1.0 once sentences can be found (fullStopId), else 0', () => {
    const o = bartInfillingObjective.resolve({});
    expect([o.poissonLambda, o.permuteSentences, o.mask, o.maskRandom, o.replaceLength]).toEqual([3.5, 0, 0.3, 0.1, 1]);
    expect(bartInfillingObjective.resolve({ fullStopId: 7 }).permuteSentences).toBe(1);
    expect(bartInfillingObjective.resolve({ fullStopId: 7, permuteSentences: 0 }).permuteSentences).toBe(0);
  });
});
