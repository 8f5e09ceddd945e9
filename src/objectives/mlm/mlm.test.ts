import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { objectiveContract } from '../contract.case.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { specialMask, type VocabInfo } from '../../tokenize/vocab.js';
import { collect, plainRows, VOCAB, wordRows } from './fixtures.case.js';
import { maskTokens, mlmObjective, resolveMlmOptions, type MlmOptions } from './index.js';

const special = specialMask(VOCAB);
const MASK = VOCAB.maskId!;

const variants: [string, Partial<MlmOptions>][] = [
  ['default', {}],
  ['whole-word', { wholeWord: true }],
  ['fixed-count', { selection: 'fixed-count' }],
  ['bert-static', { selection: 'bert-static' }],
  ['bert-static whole-word', { selection: 'bert-static', wholeWord: true }],
  ['fairseq', { selection: 'fairseq', wholeWord: true }],
  ['spanbert', { spanMasking: 'spanbert' }],
  ['sparse, hf', { sparse: true, compat: 'hf', maskProb: 0.4 }],
];
for (const [variant, options] of variants) {
  objectiveContract({
    objective: mlmObjective,
    vocab: VOCAB,
    options,
    input: () => wordRows(12, 3),
    selectsTokens: true,
    variant,
  });
}

function mask(ids: number[], o: Partial<MlmOptions>, seed = 1, wordIds?: number[], vocab: VocabInfo = VOCAB) {
  return maskTokens(
    Int32Array.from(ids),
    resolveMlmOptions(o),
    vocab,
    Rng.of(seed, 0, 0, 't'),
    wordIds && Int32Array.from(wordIds),
  );
}

describe('mlm: exact rules', () => {
  it('labels hold the original id exactly where a token was selected; unselected inputs are unchanged', () => {
    for (const row of collect(mlmObjective, wordRows(50, 1), { maskProb: 0.5 })) {
      expect(row.attention_mask).toEqual(new Uint8Array(row.input_ids.length).fill(1));
    }
    const rows = wordRows(50, 1);
    const out = collect(mlmObjective, rows, { maskProb: 0.5 });
    rows.forEach((r, k) => {
      for (let i = 0; i < r.input_ids.length; i++) {
        const y = out[k].labels![i];
        if (y === IGNORE_INDEX) expect(out[k].input_ids[i]).toBe(r.input_ids[i]);
        else expect(y).toBe(r.input_ids[i]);
      }
    });
  });

  it('p = 1 with maskReplaceProb 1 masks every non-special token and nothing else', () => {
    const out = mask([2, 10, 11, 6, 12, 3], { maskProb: 1, maskReplaceProb: 1, randomReplaceProb: 0 });
    expect(Array.from(out.input_ids)).toEqual([2, MASK, MASK, 6, MASK, 3]);
    expect(Array.from(out.labels)).toEqual([-100, 10, 11, -100, 12, -100]);
  });

  it('p = 0 selects nothing; a row of specials selects nothing under every mode', () => {
    expect(Array.from(mask([2, 10, 11, 3], { maskProb: 0 }).labels)).toEqual([-100, -100, -100, -100]);
    for (const selection of ['bernoulli', 'fixed-count', 'bert-static', 'fairseq'] as const) {
      expect(Array.from(mask([2, 3, 0], { maskProb: 1, selection }).labels)).toEqual([-100, -100, -100]);
    }
    expect(Array.from(mask([2, 3], { maskProb: 1, spanMasking: 'spanbert' }).labels)).toEqual([-100, -100]);
  });

  it('whole word: every token of a word (a run of equal word ids) shares its selection (any word ids, any mode)', () => {
    const modes: Partial<MlmOptions>[] = [
      {},
      { selection: 'fixed-count' },
      { selection: 'bert-static', maxPredictions: 500 },
      { selection: 'fairseq' },
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(...modes),
        (words, seed, mode) => {
          const ids = words.map((w, i) => (w < 0 ? 2 : 8 + ((i * 37) % 900)));
          const out = mask(ids, { ...mode, wholeWord: true, maskProb: 0.4 }, seed, words);
          // a word is a run of equal adjacent word ids
          words.forEach((w, i) => {
            const sel = out.labels[i] !== IGNORE_INDEX;
            if (w < 0) expect(sel).toBe(false);
            else if (i > 0 && words[i - 1] === w) expect(sel).toBe(out.labels[i - 1] !== IGNORE_INDEX);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fixed-count selects exactly min(eligible, round(p x L)) with L the row length (whole-word: in words, a special = 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, pct, seed) => {
          const p = pct / 100;
          const ids = [2, ...Array.from({ length: n }, (_, i) => 8 + i), 3];
          const out = mask(ids, { selection: 'fixed-count', maskProb: p }, seed);
          const k = out.labels.filter((y) => y !== IGNORE_INDEX).length;
          expect(k).toBe(Math.min(n, roundHalfEvenRef(p * (n + 2))));
        },
      ),
      { numRuns: 300 },
    );
    // 5 words (of 2 tokens) + 2 specials = 7 units; round(0.5 x 7) = round(3.5) = 4 words = 8 tokens.
    const out = mask(
      [2, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 3],
      { selection: 'fixed-count', maskProb: 0.5, wholeWord: true },
      4,
      [-1, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1],
    );
    expect(out.labels.filter((y) => y !== IGNORE_INDEX).length).toBe(8);
  });

  it("bert-static: min(maxPredictions, max(1, round(len x p))), len incl. specials, banker's rounding", () => {
    const count = (n: number, o: Partial<MlmOptions>, seed = 1) => {
      const ids = [2, ...Array.from({ length: n - 2 }, (_, i) => 8 + i), 3];
      return mask(ids, { selection: 'bert-static', ...o }, seed).labels.filter((y) => y !== IGNORE_INDEX).length;
    };
    expect(count(30, { maskProb: 0.15 })).toBe(4); // 4.5 -> 4, not 5
    expect(count(50, { maskProb: 0.15 })).toBe(8); // 7.5 -> 8
    expect(count(4, { maskProb: 0.1 })).toBe(1); // max(1, round(0.4))
    expect(count(512, { maskProb: 0.15 })).toBe(20); // capped at maxPredictions 20
    expect(count(512, { maskProb: 0.15, maxPredictions: 80 })).toBe(77);
    // A whole word that would overshoot is skipped: words of 3 tokens, target 4 -> exactly 3 tokens.
    for (let seed = 0; seed < 20; seed++) {
      const words = [-1, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, -1]; // 29 tokens: round(4.35) = 4
      const ids = words.map((w) => (w < 0 ? 2 : 8 + w));
      const out = mask(ids, { selection: 'bert-static', wholeWord: true }, seed, words);
      expect(out.labels.filter((y) => y !== IGNORE_INDEX).length).toBe(3);
    }
  });

  it('fairseq: floor(p x L + U) selected, i.e. the floor or the ceiling of p x L', () => {
    const ids = [2, ...Array.from({ length: 31 }, (_, i) => 8 + i), 3]; // L = 33, p L = 4.95
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++)
      seen.add(mask(ids, { selection: 'fairseq' }, seed).labels.filter((y) => y !== IGNORE_INDEX).length);
    expect([...seen].sort()).toEqual([4, 5]);
  });

  it('spanbert covers exactly min(eligible, ceil(N x p)) tokens, N the non-special tokens; each span is all [MASK] or has no [MASK]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 1e6 }),
        (nWords, pct, seed) => {
          const rows = wordRows(1, seed, nWords, nWords);
          const ids = rows[0].input_ids;
          const words = rows[0].word_ids!;
          const p = pct / 100;
          const out = maskTokens(
            ids,
            resolveMlmOptions({ spanMasking: 'spanbert', maskProb: p }),
            VOCAB,
            Rng.of(seed, 0, 0, 't'),
            words,
          );
          const eligible = Array.from(ids).filter((id) => !special[id]).length;
          const sel = Array.from(out.labels, (y) => y !== IGNORE_INDEX);
          expect(sel.filter(Boolean).length).toBe(Math.min(eligible, Math.ceil(eligible * p - 1e-9)));
          for (let i = 0; i < ids.length; ) {
            if (!sel[i]) {
              i++;
              continue;
            }
            let j = i;
            while (j < ids.length && sel[j]) j++;
            const masked = Array.from(out.input_ids.subarray(i, j), (x) => x === MASK);
            expect(masked.every(Boolean) || !masked.some(Boolean)).toBe(true);
            i = j;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sparse: masked_positions are the selected positions, ascending', () => {
    for (const row of collect(mlmObjective, wordRows(30, 2), { sparse: true, maskProb: 0.3 })) {
      const expected = Array.from(row.labels!).flatMap((y, i) => (y === IGNORE_INDEX ? [] : [i]));
      expect(Array.from(row.masked_positions as Int32Array)).toEqual(expected);
    }
  });

  it('a row keeps its mask whatever its batch and position in the call (startIndex)', () => {
    const rows = plainRows(6, 40, 5);
    const all = collect(mlmObjective, rows, {}, 9);
    const ctx = { seed: 9, epoch: 0, vocab: VOCAB, startIndex: 4 };
    const tail = [...mlmObjective.transform(rows.slice(4), mlmObjective.resolve({}), ctx)];
    expect(tail.map((r) => Array.from(r.input_ids))).toEqual(all.slice(4).map((r) => Array.from(r.input_ids)));
    const epoch1 = [...mlmObjective.transform(rows, mlmObjective.resolve({}), { seed: 9, epoch: 1, vocab: VOCAB })];
    expect(epoch1.map((r) => Array.from(r.labels!))).not.toEqual(all.map((r) => Array.from(r.labels!)));
  });
});

describe('mlm: errors', () => {
  const bad = (f: () => unknown, text: string) => {
    expect(f).toThrow(PretextError);
    expect(f).toThrow(text);
  };
  it('rejects bad options with one-line messages', () => {
    bad(() => resolveMlmOptions({ maskProb: 1.5 }), 'maskProb must be a probability in [0, 1]');
    bad(
      () => resolveMlmOptions({ maskReplaceProb: 0.8, randomReplaceProb: 0.3 }),
      'maskReplaceProb + randomReplaceProb must be at most 1',
    );
    bad(() => resolveMlmOptions({ maxPredictions: 0 }), 'maxPredictions must be a positive integer');
    bad(() => resolveMlmOptions({ selection: 'nope' as never }), "option 'selection' must be one of");
    bad(() => resolveMlmOptions({ spanMasking: 'spanbert', selection: 'fixed-count' }), 'chooses its own spans');
    expect(resolveMlmOptions({ maskReplaceProb: 0.7, randomReplaceProb: 0.3 }).randomReplaceProb).toBe(0.3);
  });
  it('needs a [MASK] token, word ids for whole-word, and valid rows', () => {
    const noMask = { ...VOCAB, maskId: undefined, specialIds: [0, 1, 2, 3] };
    bad(
      () => collect(mlmObjective, plainRows(1, 5, 1), {}, 1, noMask),
      'the tokenizer has no [MASK] token; mlm needs one',
    );
    bad(() => collect(mlmObjective, plainRows(2, 5, 1), { wholeWord: true }), 'wholeWord needs word ids');
    bad(
      () =>
        collect(mlmObjective, [{ input_ids: Int32Array.of(2, 9, 3), word_ids: Int32Array.of(0) }], { wholeWord: true }),
      'word_ids has length 1',
    );
    bad(
      () => collect(mlmObjective, [...plainRows(2, 5, 1), { input_ids: new Int32Array(0) }]),
      'mlm: row 2 has no tokens',
    );
    bad(
      () => collect(mlmObjective, [{ input_ids: Int32Array.of(2, 1000, 3) }]),
      'token id 1000 at position 1 is outside the vocabulary',
    );
    bad(() => mask([2, -1, 3], {}), 'token id -1 at position 1 is outside the vocabulary');
    bad(
      () =>
        collect(mlmObjective, [{ input_ids: Int32Array.of(2, 3) }], {}, 1, {
          vocabSize: 5,
          padId: 0,
          maskId: 4,
          specialIds: [0, 1, 2, 3, 4],
        }),
      'every vocabulary id is special',
    );
  });
});

// Independent reference for the test: ties go to the even neighbour.
function roundHalfEvenRef(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}
