import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { PretextError } from '../errors.js';
import { BertModel } from '../model/bert.js';
import { bertConfig, gpt2Config } from '../model/config.js';
import { Gpt2Model } from '../model/gpt2.js';
import type { Model, ModelBatch, Parameter } from '../model/model.js';
import { Rng } from '../rng/rng.js';
import { AdamW, clipGradNorm, gradNorm } from './optimizer.js';
import { learningRate } from './schedule.js';

const engine = createReferenceEngine();

function param(name: string, data: number[], grad: number[], decay = true): Parameter {
  return {
    name,
    shape: [data.length],
    data: Float32Array.from(data),
    grad: Float32Array.from(grad),
    decay,
    transposed: false,
  };
}

const tinyBert = () =>
  new BertModel(
    bertConfig({
      vocab_size: 30,
      hidden_size: 16,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 16,
      hidden_dropout_prob: 0.1,
    }),
    engine,
    { seed: 4 },
  );
const tinyGpt2 = () =>
  new Gpt2Model(
    gpt2Config({
      vocab_size: 30,
      n_positions: 16,
      n_embd: 16,
      n_layer: 2,
      n_head: 2,
      resid_pdrop: 0.1,
      embd_pdrop: 0.1,
    }),
    engine,
    { seed: 4 },
  );

function batch(mlm: boolean): ModelBatch {
  const rng = Rng.of(9, 0, 0, 'batch');
  const input_ids = Int32Array.from({ length: 4 * 10 }, () => 1 + rng.int(29));
  const labels = mlm ? Int32Array.from(input_ids, (id, i) => (i % 4 === 2 ? id : -100)) : input_ids.slice();
  if (mlm) input_ids.forEach((_, i) => i % 4 === 2 && (input_ids[i] = 3));
  return { batchSize: 4, length: 10, input_ids, labels };
}

describe('clipGradNorm (torch.nn.utils.clip_grad_norm_)', () => {
  it('scales every gradient by max / (norm + 1e-6) only when the norm exceeds max', () => {
    const ps = [param('a', [0, 0], [3, 0]), param('b', [0], [4])];
    expect(gradNorm(engine, ps)).toBe(5);
    expect(clipGradNorm(engine, ps, 10)).toBe(5);
    expect(Array.from(ps[1].grad)).toEqual([4]);
    expect(clipGradNorm(engine, ps, 1)).toBe(5);
    expect(ps[0].grad[0]).toBeCloseTo(3 / (5 + 1e-6), 7);
    expect(ps[1].grad[0]).toBeCloseTo(4 / (5 + 1e-6), 7);
  });
});

describe('AdamW', () => {
  it('decays only parameters marked to decay (HF Trainer: not biases / LayerNorm), or as a predicate says', () => {
    const ps = [param('w', [1, -2], [0, 0]), param('b', [1, -2], [0, 0], false)];
    new AdamW(engine, ps, { lr: 0.1, weightDecay: 0.5 }).step();
    expect(Array.from(ps[0].data)).toEqual([0.95, -1.9].map(Math.fround));
    expect(Array.from(ps[1].data)).toEqual([1, -2]);
    new AdamW(engine, ps, { lr: 0.1, weightDecay: 0.5, decay: (p) => p.name === 'b' }).step();
    expect(ps[1].data[0]).toBeCloseTo(0.95, 6);
  });

  it('first step moves each entry by lr * sign(grad) (bias-corrected), clipping first', () => {
    const ps = [param('w', [0, 0, 0], [2, -0.5, 0])];
    const r = new AdamW(engine, ps, { lr: 0.01, maxGradNorm: 1 }).step();
    expect(r.gradNorm).toBeCloseTo(Math.sqrt(4.25), 6);
    expect(ps[0].data[0]).toBeCloseTo(-0.01, 6);
    expect(ps[0].data[1]).toBeCloseTo(0.01, 6);
    expect(ps[0].data[2]).toBe(0);
  });

  it('exported state resumes exactly where it left off', () => {
    const run = (split: boolean) => {
      const ps = [param('w', [0.5, -0.25, 1], [0, 0, 0]), param('b', [0.1], [0], false)];
      let opt = new AdamW(engine, ps, { lr: 0.05, weightDecay: 0.1, maxGradNorm: 1 });
      for (let t = 1; t <= 5; t++) {
        ps[0].grad.set([Math.sin(t), Math.cos(t), t / 5]);
        ps[1].grad.set([-t]);
        if (split && t === 3) {
          const state = opt.exportState();
          opt = new AdamW(engine, ps, opt.options);
          opt.importState(state);
          expect(opt.stepCount).toBe(2);
        }
        opt.step();
      }
      return ps.map((p) => Array.from(p.data));
    };
    expect(run(true)).toEqual(run(false));
    const opt = new AdamW(engine, [param('w', [1], [1])], { lr: 1 });
    expect(() => opt.importState({ step: 1, m: {}, v: {} })).toThrow(PretextError);
  });

  const train = (make: () => Model, mlm: boolean) => {
    const model = make();
    const b = batch(mlm);
    const opt = new AdamW(model.engine, model.parameters(), { lr: 1e-2, weightDecay: 0.01, maxGradNorm: 1 });
    const schedule = { kind: 'linear' as const, warmupSteps: 5, totalSteps: 60 };
    const losses: number[] = [];
    for (let t = 0; t < 40; t++) {
      model.zeroGrad();
      losses.push(model.forward(b, { rng: Rng.of(1, 0, t, 'dropout') }).loss as number);
      model.backward();
      opt.step(learningRate(t + 1, 1e-2, schedule));
    }
    return losses;
  };

  it.each([
    ['BERT MLM', tinyBert, true],
    ['GPT-2 CLM', tinyGpt2, false],
  ] as const)('a few dozen steps on a repeated batch make the %s loss fall', (_, make, mlm) => {
    const losses = train(make, mlm);
    expect(losses[0]).toBeCloseTo(Math.log(30), 0);
    expect(losses.at(-1) as number).toBeLessThan(0.35 * losses[0]);
    expect(losses.every(Number.isFinite)).toBe(true);
  });
});
