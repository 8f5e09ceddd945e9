// SimCSE: whole-model finite differences in f64 for each pooler (dropout on, supervised with hard negatives), the
// InfoNCE gradient alone, the metrics, and the HF BertModel names.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { Rng } from '../rng/rng.js';
import { createModel, saveModel } from './checkpoint.js';
import type { ModelBatch } from './model.js';
import { readSafetensors } from './safetensors.js';
import { simcseConfig, SimcseModel, stackViews, type SimcsePooler } from './simcse.js';
import { alignmentUniformity, infoNce, retrievalAccuracy } from './simcse-loss.js';

function f64Engine(): Engine {
  const e = createReferenceEngine();
  return { ...e, alloc: (n: number) => new Float64Array(n) as unknown as Float32Array };
}

const config = (pooler: SimcsePooler, over = {}) =>
  simcseConfig(
    {
      vocab_size: 30,
      hidden_size: 8,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 16,
      max_position_embeddings: 8,
      ...over,
    },
    { pooler, temperature: 0.5, hard_negative_weight: 0.3 },
  );

const [B, T] = [3, 5];

function views(K: 2 | 3): ModelBatch {
  const rng = Rng.of(2, 0, 0, 'ids');
  const ids = () => Int32Array.from({ length: B * T }, () => 1 + rng.int(29));
  const mask = Uint8Array.from({ length: B * T }, (_, i) => (i % T < T - (i < T ? 0 : 1) ? 1 : 0));
  const b: ModelBatch = {
    batchSize: B,
    length: T,
    input_ids: ids(),
    attention_mask: mask,
    positive_input_ids: ids(),
    positive_attention_mask: mask,
  };
  if (K === 3) Object.assign(b, { negative_input_ids: ids(), negative_attention_mask: new Uint8Array(B * T).fill(1) });
  return b;
}

describe('SimcseModel', () => {
  it.each([
    ['cls', 3],
    ['cls_before_pooler', 2],
    ['avg', 3],
  ] as const)(
    'pooler %s, %d views: every parameter gradient matches finite differences (f64, dropout on)',
    (pooler, K) => {
      const model = new SimcseModel(
        config(pooler, { hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1 }),
        f64Engine(),
        { seed: 4 },
      );
      const b = views(K);
      const state = Rng.of(3, 0, 0, 'dropout').getState();
      const J = () => model.forward(b, { rng: Rng.fromState(state) }).loss as number;
      model.zeroGrad();
      J();
      model.backward();
      const pick = Rng.of(9, 0, 0, 'pick');
      const h = 1e-6;
      for (const p of model.parameters()) {
        if (pooler !== 'cls' && p.name.startsWith('pooler.')) {
          expect(p.grad.every((g) => g === 0)).toBe(true);
          continue;
        }
        for (let k = 0; k < 2; k++) {
          const i = pick.int(p.data.length);
          if (p.name === 'embeddings.word_embeddings.weight' && i < 8) continue; // padding row
          const x = p.data[i];
          p.data[i] = x + h;
          const up = J();
          p.data[i] = x - h;
          const down = J();
          p.data[i] = x;
          const fd = (up - down) / (2 * h);
          expect(
            Math.abs(fd - p.grad[i]) / Math.max(1e-3, Math.abs(fd)),
            `${p.name}[${i}]: fd ${fd}, backward ${p.grad[i]}`,
          ).toBeLessThan(1e-5);
        }
      }
    },
  );

  it('the two views of one sentence differ only by dropout; evaluation pools without it', () => {
    const model = new SimcseModel(config('cls', { hidden_dropout_prob: 0.1 }), createReferenceEngine(), { seed: 1 });
    const b = views(2);
    const same = { ...b, positive_input_ids: b.input_ids, positive_attention_mask: b.attention_mask };
    const z = (model.forward(same, { rng: Rng.of(1, 0, 0, 'd') }).pooled as Float32Array).slice();
    expect(z.subarray(0, 8)).not.toEqual(z.subarray(8, 16)); // rows 0 and 1: views of sentence 0
    const noDrop = model.forward(same).pooled as Float32Array;
    expect(Array.from(noDrop.subarray(0, 8))).toEqual(Array.from(noDrop.subarray(8, 16)));
    const evalOut = model.forward({
      batchSize: B,
      length: T,
      input_ids: b.input_ids,
      attention_mask: b.attention_mask,
    });
    expect(evalOut.loss).toBeUndefined();
    expect(evalOut.pooled?.length).toBe(B * 8);
  });

  it('saves as HF BertModel: embeddings.*, encoder.*, pooler.dense.*; loads back through createModel', () => {
    const model = new SimcseModel(config('cls'), createReferenceEngine());
    const { config: text, safetensors } = saveModel(model);
    const c = JSON.parse(text);
    expect(c.architectures).toEqual(['BertModel']);
    expect(c.simcse).toMatchObject({ pooler: 'cls', temperature: 0.5 });
    const names = [...readSafetensors(safetensors).tensors.keys()];
    expect(names).toContain('pooler.dense.weight');
    expect(names).toContain('embeddings.word_embeddings.weight');
    expect(names).toContain('encoder.layer.1.output.LayerNorm.bias');
    expect(names.some((n) => n.startsWith('bert.') || n.startsWith('cls.'))).toBe(false);
    expect(createModel(c, createReferenceEngine())).toBeInstanceOf(SimcseModel);
  });
});

describe('stackViews', () => {
  it('interleaves views of their own widths; -1 ids and mask 0 are padding', () => {
    const a = Int32Array.of(2, 7, 3, 2, 8, 0);
    const am = Uint8Array.of(1, 1, 1, 1, 1, 0);
    const p = Int32Array.of(2, 9, 9, 3, 2, 5, -1, -1); // width 4, ragged-padded
    const { input_ids, mask, T } = stackViews([a, p], [am, undefined], 2, 3, 0);
    expect(T).toBe(4);
    expect(Array.from(input_ids)).toEqual([2, 7, 3, 0, 2, 9, 9, 3, 2, 8, 0, 0, 2, 5, 0, 0]);
    expect(Array.from(mask ?? [])).toEqual([1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
  });
});

describe('InfoNCE and embedding metrics', () => {
  it('identical views at tau 1: log(1 + e^-1) per row; retrieval perfect', () => {
    const z = Float32Array.of(1, 0, 1, 0, 0, 1, 0, 1); // rows: a0, p0, a1, p1
    const r = infoNce(z, 2, 2, 2, 1, 0);
    expect(r.loss).toBeCloseTo(Math.log(1 + Math.exp(-1)), 10);
    expect(r.correct).toBe(2);
  });

  it('gradient matches finite differences with hard negatives and their weight', () => {
    const rng = Rng.of(1, 0, 0, 'z');
    const z = Float64Array.from({ length: 12 * 4 }, () => rng.normal()) as unknown as Float32Array;
    const dz = new Float64Array(12 * 4) as unknown as Float32Array;
    infoNce(z, 4, 3, 4, 0.05, 0.7, dz);
    for (let i = 0; i < z.length; i += 5) {
      const x = z[i];
      z[i] = x + 1e-6;
      const up = infoNce(z, 4, 3, 4, 0.05, 0.7).loss;
      z[i] = x - 1e-6;
      const down = infoNce(z, 4, 3, 4, 0.05, 0.7).loss;
      z[i] = x;
      expect(Math.abs((up - down) / 2e-6 - dz[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(dz[i])));
    }
  });

  it('alignment 0 and uniformity log E exp(-2 d^2) on known vectors; retrieval counts nearest positives', () => {
    const x = Float32Array.of(1, 0, 0, 1);
    expect(alignmentUniformity(x, x, 2, 2)).toEqual({ alignment: 0, uniformity: -4 }); // orthogonal: d^2 = 2
    expect(alignmentUniformity(x, Float32Array.of(0, 1, 1, 0), 2, 2).alignment).toBeCloseTo(2, 12);
    expect(retrievalAccuracy(x, Float32Array.of(2, 0.1, 0.1, 3), 2, 2)).toBe(1);
    expect(retrievalAccuracy(x, Float32Array.of(0, 1, 1, 0), 2, 2)).toBe(0);
  });
});
