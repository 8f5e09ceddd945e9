import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { objectiveContract } from '../contract.case.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import { normalizeVocab } from '../../tokenize/vocab.js';
import { simcseLoss, simcseObjective, simcsePooler, type SimcseOptions } from './index.js';

const vocab = normalizeVocab({ vocabSize: 200, padId: 0, clsId: 101, sepId: 102, specialIds: [] });
const sent = (L: number, base = 10) =>
  Int32Array.from({ length: L }, (_, i) => (i === 0 ? 101 : i === L - 1 ? 102 : base + (i % 80)));
const rows = (): TokenExample[] => [{ input_ids: sent(12) }, { input_ids: sent(40) }, { input_ids: sent(3) }];
const run = (xs: TokenExample[], opts: Partial<SimcseOptions> = {}): ModelInput[] => [
  ...simcseObjective.transform(xs, simcseObjective.resolve(opts), { seed: 1, epoch: 0, vocab }),
];
const A = (x: ArrayLike<number> | undefined) => Array.from(x ?? []);

const skip = {
  seedMatters: "no randomness in the data: SimCSE's noise is the encoder's dropout",
  noSpecialSelected: 'no token labels',
};
objectiveContract({ objective: simcseObjective, vocab, input: rows, skip });
objectiveContract({
  objective: simcseObjective,
  vocab,
  input: () => rows().map((r) => ({ ...r, positive_ids: sent(9, 20), negative_ids: sent(50, 30) })),
  options: { mode: 'supervised' },
  skip,
  variant: 'supervised',
});

describe('simcse data', () => {
  it('unsupervised: the same ids twice, each with its attention mask; truncation keeps the final [SEP]', () => {
    const [a, b] = run(rows());
    expect(A(a.positive_input_ids)).toEqual(A(a.input_ids));
    expect(A(a.input_ids)).toEqual(A(sent(12)));
    expect(A(a.positive_attention_mask)).toEqual(new Array(12).fill(1));
    expect(a.positive_input_ids).not.toBe(a.input_ids);
    expect(b.input_ids.length).toBe(32);
    expect(A(b.input_ids)).toEqual([...A(sent(40)).slice(0, 31), 102]);
    const [c] = run([{ input_ids: Int32Array.from({ length: 40 }, (_, i) => 10 + i) }], { maxSeqLen: 5 });
    expect(A(c.input_ids)).toEqual([10, 11, 12, 13, 14]);
  });

  it('supervised: anchor, positive and hard negative views; missing views are PretextErrors', () => {
    const [r] = run([{ input_ids: sent(5), positive_ids: sent(6, 20), negative_ids: sent(7, 30) }], {
      mode: 'supervised',
    });
    expect(A(r.positive_input_ids)).toEqual(A(sent(6, 20)));
    expect(A(r.negative_input_ids)).toEqual(A(sent(7, 30)));
    expect(A(r.negative_attention_mask)).toEqual(new Array(7).fill(1));
    expect(() => run([{ input_ids: sent(5), positive_ids: sent(6) }], { mode: 'supervised' })).toThrow(
      /needs positive_ids and negative_ids/,
    );
    expect(() =>
      run([{ input_ids: sent(5), positive_ids: sent(6), negative_ids: new Int32Array(0) }], { mode: 'supervised' }),
    ).toThrow(/no tokens in negative_ids/);
  });

  it('pooler per phase: cls + mlpOnlyTrain evaluates without the MLP (SimCSE#25)', () => {
    const o = simcseObjective.resolve({});
    expect([o.temperature, o.pooler, o.mlpOnlyTrain, o.hardNegativeWeight, o.maxSeqLen]).toEqual([
      0.05,
      'cls',
      true,
      0,
      32,
    ]);
    expect(simcsePooler(o, 'train')).toBe('cls');
    expect(simcsePooler(o, 'eval')).toBe('cls_before_pooler');
    expect(simcsePooler(simcseObjective.resolve({ mlpOnlyTrain: false }), 'eval')).toBe('cls');
  });

  it('supervised keeps the MLP pooler at evaluation (mlp_only_train is the unsupervised recipe)', () => {
    const o = simcseObjective.resolve({ mode: 'supervised' });
    expect(o.mlpOnlyTrain).toBe(false);
    expect(simcsePooler(o, 'eval')).toBe('cls');
    expect(simcsePooler(simcseObjective.resolve({ mode: 'supervised', mlpOnlyTrain: true }), 'eval')).toBe(
      'cls_before_pooler',
    );
    for (const bad of [{ temperature: 0 }, { pooler: 'max' }, { maxSeqLen: 1 }] as object[])
      expect(() => simcseObjective.resolve(bad as Partial<SimcseOptions>)).toThrow(PretextError);
  });
});

describe('simcse loss', () => {
  const f = (xs: number[]) => Float32Array.from(xs);

  it('identity views, tau 1: log(1 + e^-1)', () => {
    expect(simcseLoss(f([1, 0, 0, 1]), f([1, 0, 0, 1]), undefined, 1, 2)).toBeCloseTo(Math.log(1 + Math.exp(-1)), 6);
  });

  it('hand-computed: z1 = [[1,0],[0,1]], z2 = [[1,1],[0,2]], tau 0.5', () => {
    // cos: row 0 -> [1/sqrt2, 0], row 1 -> [1/sqrt2, 1]; logits / 0.5 -> [sqrt2, 0], [sqrt2, 2]
    const r2 = Math.SQRT2;
    const l0 = Math.log(Math.exp(r2) + 1) - r2;
    const l1 = Math.log(Math.exp(r2) + Math.exp(2)) - 2;
    expect(simcseLoss(f([1, 0, 0, 1]), f([1, 1, 0, 2]), undefined, 0.5, 2)).toBeCloseTo((l0 + l1) / 2, 6);
    expect((l0 + l1) / 2).toBeCloseTo(0.330086, 5);
  });

  it('hard negatives add B columns; hardNegativeWeight lifts each row’s own negative', () => {
    // z3 = [[0,1],[1,0]]: cos row 0 -> [0, 1], row 1 -> [1, 0]; tau 1
    const z = f([1, 0, 0, 1]);
    const z3 = f([0, 1, 1, 0]);
    const ce = (row: number[], t: number) => Math.log(row.reduce((s, x) => s + Math.exp(x), 0)) - row[t];
    expect(simcseLoss(z, z, z3, 1, 2)).toBeCloseTo((ce([1, 0, 0, 1], 0) + ce([0, 1, 1, 0], 1)) / 2, 6);
    expect(simcseLoss(z, z, z3, 1, 2, 0.5)).toBeCloseTo((ce([1, 0, 0.5, 1], 0) + ce([0, 1, 1, 0.5], 1)) / 2, 6);
  });

  it('scale invariant (cosine), and tau 0.05 on perfect views is near 0 loss', () => {
    const z1 = f([1, 2, 3, -1, 0, 2]);
    expect(simcseLoss(z1, f([2, 4, 6, -3, 0, 6]), undefined, 0.05, 2)).toBeCloseTo(
      simcseLoss(z1, z1, undefined, 0.05, 2),
      5,
    );
    expect(simcseLoss(f([1, 0, 0, 1]), f([1, 0, 0, 1]), undefined, 0.05, 2)).toBeLessThan(1e-8);
    expect(() => simcseLoss(f([1, 2, 3]), f([1, 2, 3]), undefined, 0.05, 2)).toThrow(RangeError);
  });
});
