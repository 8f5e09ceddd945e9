// Statistical checks. Each bound is 5 standard deviations (normal tail 5.7e-7 per check), so a correct
// implementation fails this file with probability < 1e-5 (fewer than 20 checks); the seeds are fixed anyway.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { specialMask } from '../../tokenize/vocab.js';
import { collect, expectBinomial, HALF_SPECIAL, plainRows, VOCAB, wordRows } from './fixtures.case.js';
import {
  maskTokens,
  mlmObjective,
  resolveMlmOptions,
  SPANBERT_GEOMETRIC_P,
  SPANBERT_MAX_SPAN,
  spanbertSpanLength,
  type MlmOptions,
} from './index.js';

const MASK = VOCAB.maskId!;
const within = (r: { ok: boolean; detail: string }) => expect(r.ok, r.detail).toBe(true);

/** Counts over rows: selected, [MASK], random (changed, not [MASK]), kept; specials among the random ids. */
function tally(options: Partial<MlmOptions>, vocab = VOCAB, rows = plainRows(400, 502, 7, vocab)) {
  const out = collect(mlmObjective, rows, options, 11, vocab);
  const special = specialMask(vocab);
  const t = { eligible: 0, selected: 0, masked: 0, random: 0, kept: 0, randomSpecial: 0 };
  rows.forEach((r, k) => {
    for (let i = 0; i < r.input_ids.length; i++) {
      const orig = r.input_ids[i];
      if (!special[orig]) t.eligible++;
      if (out[k].labels![i] === IGNORE_INDEX) continue;
      t.selected++;
      const x = out[k].input_ids[i];
      if (x === vocab.maskId) t.masked++;
      else if (x === orig) t.kept++;
      else {
        t.random++;
        if (special[x]) t.randomSpecial++;
      }
    }
  });
  return t;
}

describe('mlm: rates', () => {
  it('selects 15% of 200k eligible tokens; 80/10/10 of the selected', () => {
    const t = tally({});
    expect(t.eligible).toBe(200_000);
    within(expectBinomial(t.selected, t.eligible, 0.15));
    within(expectBinomial(t.masked, t.selected, 0.8));
    const pool = VOCAB.vocabSize - VOCAB.specialIds.length; // a random draw equal to the original reads as "kept"
    within(expectBinomial(t.random, t.selected, 0.1 * (1 - 1 / pool)));
    expect(t.randomSpecial).toBe(0);
  });

  it('a configured 50/30/20 split', () => {
    const t = tally({ maskProb: 0.3, maskReplaceProb: 0.5, randomReplaceProb: 0.3 });
    within(expectBinomial(t.selected, t.eligible, 0.3));
    within(expectBinomial(t.masked, t.selected, 0.5));
    within(expectBinomial(t.random, t.selected, 0.3 * (1 - 1 / (VOCAB.vocabSize - VOCAB.specialIds.length))));
  });

  it('random ids are never special by default, even with half the vocabulary special; compat hf draws specials', () => {
    const rows = plainRows(100, 202, 3, HALF_SPECIAL);
    const mine = tally({ maskProb: 0.5, maskReplaceProb: 0, randomReplaceProb: 1 }, HALF_SPECIAL, rows);
    expect(mine.random).toBeGreaterThan(5000);
    expect(mine.randomSpecial).toBe(0);
    const hf = tally({ maskProb: 0.5, maskReplaceProb: 0, randomReplaceProb: 1, compat: 'hf' }, HALF_SPECIAL, rows);
    // [0, 200) with ids 0-99 special; a draw of the original or of [MASK] does not read as random.
    within(expectBinomial(hf.randomSpecial, hf.random, 99 / 198));
  });

  it('whole-word Bernoulli selects 15% of the words', () => {
    const rows = wordRows(4000, 5, 20, 30);
    const out = collect(mlmObjective, rows, { wholeWord: true }, 2);
    let words = 0;
    let selected = 0;
    rows.forEach((r, k) => {
      const seen = new Set<number>();
      r.word_ids!.forEach((w, i) => {
        if (w < 0 || seen.has(w)) return;
        seen.add(w);
        words++;
        if (out[k].labels![i] !== IGNORE_INDEX) selected++;
      });
    });
    expect(words).toBeGreaterThan(90_000);
    within(expectBinomial(selected, words, 0.15));
  });

  it('fairseq: the mean count is p x L exactly (probabilistic rounding)', () => {
    const rows = plainRows(20_000, 33, 4); // p L = 4.95: each row selects 5 with probability 0.95, else 4
    const out = collect(mlmObjective, rows, { selection: 'fairseq' }, 3);
    const fives = out.filter((r) => r.labels!.filter((y) => y !== IGNORE_INDEX).length === 5).length;
    within(expectBinomial(fives, rows.length, 0.95));
  });

  it('spanbert: span lengths are Geometric(0.2) truncated to [1, 10], mean 3.80', () => {
    const q = 1 - SPANBERT_GEOMETRIC_P;
    const z = 1 - q ** SPANBERT_MAX_SPAN;
    let mean = 0;
    let m2 = 0;
    for (let k = 1; k <= SPANBERT_MAX_SPAN; k++) {
      const pk = (SPANBERT_GEOMETRIC_P * q ** (k - 1)) / z;
      mean += k * pk;
      m2 += k * k * pk;
    }
    expect(mean).toBeCloseTo(3.8, 2);
    const rng = Rng.of(1, 0, 0, 'spanbert-test');
    const N = 200_000;
    let sum = 0;
    let max = 0;
    let min = Infinity;
    for (let i = 0; i < N; i++) {
      const l = spanbertSpanLength(rng);
      sum += l;
      max = Math.max(max, l);
      min = Math.min(min, l);
    }
    expect([min, max]).toEqual([1, 10]);
    const sd = Math.sqrt((m2 - mean * mean) / N);
    expect(Math.abs(sum / N - mean), `mean ${sum / N}`).toBeLessThan(5 * sd);
  });

  it('spanbert: 80% of spans are all [MASK] (replacement per span)', () => {
    const opts = resolveMlmOptions({ spanMasking: 'spanbert' });
    let spans = 0;
    let masked = 0;
    for (let r = 0; r < 3300; r++) {
      const row = wordRows(1, r, 60, 80, false)[0];
      const out = maskTokens(row.input_ids, opts, VOCAB, Rng.of(5, 0, r, 'mlm'), row.word_ids);
      for (let i = 0; i < out.labels.length; i++) {
        if (out.labels[i] === IGNORE_INDEX || (i > 0 && out.labels[i - 1] !== IGNORE_INDEX)) continue;
        spans++;
        if (out.input_ids[i] === MASK) masked++;
      }
    }
    expect(spans).toBeGreaterThan(10_000);
    within(expectBinomial(masked, spans, 0.8));
  });
});
