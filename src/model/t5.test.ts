// T5ForConditionalGeneration: whole-model gradients against finite differences in f64 (both FFN variants, tied and
// untied head, every dropout site active with fixed masks, encoder padding, a decoder mask, dHidden), HF's
// parameter names and shapes, _shift_right, checkpoints round-trip, loss weights,
// and workspace reuse.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { Rng } from '../rng/rng.js';
import { loadModel, saveModel } from './checkpoint.js';
import { t5Config, type T5Config } from './config.js';
import type { ModelBatch } from './model.js';
import { T5Model, shiftRight } from './t5.js';

function f64Engine(): Engine {
  const e = createReferenceEngine();
  return { ...e, alloc: (n: number) => new Float64Array(n) as unknown as Float32Array };
}

const tiny = (over: Partial<T5Config> = {}) =>
  t5Config({
    vocab_size: 13,
    d_model: 8,
    d_kv: 3,
    d_ff: 10,
    num_layers: 2,
    num_decoder_layers: 1,
    num_heads: 2,
    relative_attention_num_buckets: 6,
    relative_attention_max_distance: 6,
    ...over,
  });

const [B, Te, Td] = [2, 5, 4];
const batch = (): ModelBatch => ({
  batchSize: B,
  length: Te,
  input_ids: Int32Array.of(3, 5, 7, 2, 1, 4, 9, 1, 0, 0),
  attention_mask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
  decoderLength: Td,
  labels: Int32Array.of(6, 8, 11, 1, 12, 1, -100, -100),
  decoder_attention_mask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 0),
});

describe('T5ForConditionalGeneration', () => {
  for (const [ffn, tied] of [
    ['relu', true],
    ['gated-gelu', false],
    ['gated-gelu', true],
  ] as const) {
    it(`gradients of every parameter match finite differences (${ffn}, ${tied ? 'tied' : 'untied'}, dropout, masks, dHidden)`, () => {
      const model = new T5Model(
        tiny({ feed_forward_proj: ffn, tie_word_embeddings: tied, dropout_rate: 0.2 }),
        f64Engine(),
        { seed: 3 },
      );
      const pick = Rng.of(7, 0, 0, 'gradcheck');
      const W = new Float64Array(B * Td * 8).map(() => pick.normal() * 0.1) as unknown as Float32Array;
      const state = Rng.of(3, 0, 0, 'dropout').getState();
      const J = () => {
        const out = model.forward(batch(), { rng: Rng.fromState(state) });
        let j = out.loss as number;
        for (let i = 0; i < W.length; i++) j += (out.hidden as Float32Array)[i] * W[i];
        return j;
      };
      model.zeroGrad();
      J();
      model.backward({ dHidden: W });
      const h = 1e-6;
      for (const p of model.parameters()) {
        for (let k = 0; k < 3; k++) {
          const i = pick.int(p.data.length);
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
    });
  }

  it('has HF T5ForConditionalGeneration parameter names and shapes (gated, untied)', () => {
    const model = new T5Model(
      tiny({ feed_forward_proj: 'gated-gelu', tie_word_embeddings: false, num_layers: 1 }),
      createReferenceEngine(),
    );
    const shapes = Object.fromEntries(model.parameters().map((p) => [p.name, p.shape]));
    expect(shapes).toEqual({
      'shared.weight': [13, 8],
      'encoder.block.0.layer.0.layer_norm.weight': [8],
      'encoder.block.0.layer.0.SelfAttention.q.weight': [6, 8],
      'encoder.block.0.layer.0.SelfAttention.k.weight': [6, 8],
      'encoder.block.0.layer.0.SelfAttention.v.weight': [6, 8],
      'encoder.block.0.layer.0.SelfAttention.o.weight': [8, 6],
      'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight': [6, 2],
      'encoder.block.0.layer.1.layer_norm.weight': [8],
      'encoder.block.0.layer.1.DenseReluDense.wi_0.weight': [10, 8],
      'encoder.block.0.layer.1.DenseReluDense.wi_1.weight': [10, 8],
      'encoder.block.0.layer.1.DenseReluDense.wo.weight': [8, 10],
      'encoder.final_layer_norm.weight': [8],
      'decoder.block.0.layer.0.layer_norm.weight': [8],
      'decoder.block.0.layer.0.SelfAttention.q.weight': [6, 8],
      'decoder.block.0.layer.0.SelfAttention.k.weight': [6, 8],
      'decoder.block.0.layer.0.SelfAttention.v.weight': [6, 8],
      'decoder.block.0.layer.0.SelfAttention.o.weight': [8, 6],
      'decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight': [6, 2],
      'decoder.block.0.layer.1.layer_norm.weight': [8],
      'decoder.block.0.layer.1.EncDecAttention.q.weight': [6, 8],
      'decoder.block.0.layer.1.EncDecAttention.k.weight': [6, 8],
      'decoder.block.0.layer.1.EncDecAttention.v.weight': [6, 8],
      'decoder.block.0.layer.1.EncDecAttention.o.weight': [8, 6],
      'decoder.block.0.layer.2.layer_norm.weight': [8],
      'decoder.block.0.layer.2.DenseReluDense.wi_0.weight': [10, 8],
      'decoder.block.0.layer.2.DenseReluDense.wi_1.weight': [10, 8],
      'decoder.block.0.layer.2.DenseReluDense.wo.weight': [8, 10],
      'decoder.final_layer_norm.weight': [8],
      'lm_head.weight': [13, 8],
    });
    const relu = new T5Model(tiny({ num_layers: 2 }), createReferenceEngine());
    const names = relu.parameters().map((p) => p.name);
    expect(names.filter((n) => n.includes('relative_attention_bias'))).toEqual([
      'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight',
      'decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight',
    ]);
    expect(names).toContain('encoder.block.1.layer.1.DenseReluDense.wi.weight');
    expect(names).not.toContain('lm_head.weight');
  });

  it('initialises as HF _init_weights: stds scaled by initializer_factor, layer norms = factor', () => {
    const c = tiny({ d_model: 32, d_kv: 16, num_heads: 4, d_ff: 64, vocab_size: 200, initializer_factor: 1.5 });
    const model = new T5Model(c, createReferenceEngine(), { seed: 1 });
    const std = (name: string) => {
      const p = model.parameters().find((q) => q.name === name)?.data as Float32Array;
      return Math.sqrt(p.reduce((s, v) => s + v * v, 0) / p.length);
    };
    const f = 1.5;
    const cases: [string, number][] = [
      ['shared.weight', f],
      ['encoder.block.0.layer.0.SelfAttention.q.weight', f * (32 * 16) ** -0.5],
      ['encoder.block.0.layer.0.SelfAttention.k.weight', f * 32 ** -0.5],
      ['encoder.block.0.layer.0.SelfAttention.o.weight', f * 64 ** -0.5],
      ['decoder.block.0.layer.1.EncDecAttention.v.weight', f * 32 ** -0.5],
      ['encoder.block.0.layer.1.DenseReluDense.wo.weight', f * 64 ** -0.5],
    ];
    for (const [name, want] of cases) expect(Math.abs(std(name) / want - 1), name).toBeLessThan(0.1);
    expect(
      model
        .parameters()
        .find((p) => p.name === 'decoder.final_layer_norm.weight')
        ?.data.every((v) => v === f),
    ).toBe(true);
    expect(
      model
        .parameters()
        .filter((p) => !p.decay)
        .every((p) => p.name.endsWith('layer_norm.weight')),
    ).toBe(true);
  });

  it('shifts labels right with decoder_start_token_id, -100 -> pad, as HF _shift_right', () => {
    expect(Array.from(shiftRight(Int32Array.of(5, 6, -100, 7, -100, -100), 2, 3, 9, 0))).toEqual([9, 5, 6, 9, 7, 0]);
    const model = new T5Model(tiny(), createReferenceEngine(), { seed: 1 });
    const b = batch();
    const implicit = model.forward(b).loss;
    const explicit = model.forward({ ...b, decoder_input_ids: shiftRight(b.labels as Int32Array, B, Td, 0, 0) }).loss;
    expect(implicit).toBe(explicit);
    expect(() => model.forward({ ...b, labels: undefined })).toThrow(/decoderLength and decoder_input_ids or labels/);
    expect(() => model.forward({ ...b, labels: Int32Array.of(1, 2, 3) })).toThrow(/labels has 3 entries/);
  });

  it('saves config.json as HF T5Config and model.safetensors without tied copies; loads back to the same loss', () => {
    for (const tied of [true, false]) {
      const model = new T5Model(tiny({ tie_word_embeddings: tied }), createReferenceEngine(), { seed: 4 });
      const saved = saveModel(model);
      const config = JSON.parse(saved.config);
      expect(config).toMatchObject({
        model_type: 't5',
        architectures: ['T5ForConditionalGeneration'],
        d_model: 8,
        d_kv: 3,
        d_ff: 10,
        num_layers: 2,
        num_decoder_layers: 1,
        num_heads: 2,
        feed_forward_proj: 'relu',
        tie_word_embeddings: tied,
        decoder_start_token_id: 0,
        pad_token_id: 0,
        eos_token_id: 1,
        is_encoder_decoder: true,
      });
      const back = loadModel(saved.config, saved.safetensors, createReferenceEngine(), { strict: true, seed: 99 });
      expect(back.forward(batch()).loss).toBe(model.forward(batch()).loss);
    }
  });

  it('weighs its loss and gradients by lossWeights.lm (gradient accumulation uses it), lmLoss unweighted', () => {
    const run = (lm?: number) => {
      const model = new T5Model(tiny(), createReferenceEngine(), { seed: 3 });
      const out = model.forward(batch(), lm === undefined ? {} : { lossWeights: { lm } });
      model.backward();
      return { out, grads: model.parameters().map((p) => Float32Array.from(p.grad)) };
    };
    const whole = run();
    const quarter = run(0.25);
    expect(quarter.out.lmLoss).toBe(whole.out.lmLoss);
    expect(quarter.out.loss).toBeCloseTo(0.25 * (whole.out.loss as number), 6);
    whole.grads.forEach((g, i) => g.forEach((x, j) => expect(quarter.grads[i][j]).toBeCloseTo(0.25 * x, 6)));
  });

  it('reuses its activations for smaller shapes and grows for larger, with unchanged results', () => {
    const model = new T5Model(tiny(), createReferenceEngine(), { seed: 5 });
    const first = model.forward(batch()).loss;
    const small: ModelBatch = {
      batchSize: 1,
      length: 3,
      input_ids: Int32Array.of(3, 5, 1),
      decoderLength: 2,
      labels: Int32Array.of(4, 1),
    };
    const alone = new T5Model(tiny(), createReferenceEngine(), { seed: 5 }).forward(small).loss;
    expect(model.forward(small).loss).toBeCloseTo(alone as number, 6);
    const big: ModelBatch = {
      batchSize: 3,
      length: 7,
      input_ids: new Int32Array(21).fill(4),
      decoderLength: 6,
      labels: new Int32Array(18).fill(2),
    };
    expect(Number.isFinite(model.forward(big).loss)).toBe(true);
    expect(model.forward(batch()).loss).toBeCloseTo(first as number, 6);
  });
});
