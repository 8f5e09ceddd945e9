import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { PretextError } from '../errors.js';
import { Rng } from '../rng/rng.js';
import { BertModel } from './bert.js';
import { bertConfig, gpt2Config, parseModelConfig } from './config.js';
import { Gpt2Model } from './gpt2.js';
import type { Model, ModelBatch } from './model.js';

const bert = (over = {}) =>
  bertConfig({
    vocab_size: 50,
    hidden_size: 16,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 32,
    max_position_embeddings: 16,
    ...over,
  });
const gpt2 = (over = {}) => gpt2Config({ vocab_size: 50, n_positions: 16, n_embd: 16, n_layer: 2, n_head: 2, ...over });

// An engine that counts its allocations.
function counting(): { engine: Engine; count: () => number } {
  const e = createReferenceEngine();
  let n = 0;
  const engine: Engine = {
    ...e,
    alloc: (k) => (n++, e.alloc(k)),
    allocInt: (k) => (n++, e.allocInt(k)),
    allocBytes: (k) => (n++, e.allocBytes(k)),
  };
  return { engine, count: () => n };
}

function batchOf(B: number, T: number, seed = 0, extra: Partial<ModelBatch> = {}): ModelBatch {
  const rng = Rng.of(seed, 0, 0, 'batch');
  const input_ids = Int32Array.from({ length: B * T }, () => 1 + rng.int(49));
  const labels = Int32Array.from(input_ids, (id, i) => (i % 3 === 1 ? id : -100));
  return { batchSize: B, length: T, input_ids, labels, ...extra };
}

const models: [string, (e: Engine) => Model][] = [
  ['bert', (e) => new BertModel(bert({ architectures: ['BertForPreTraining'] }), e, { seed: 1 })],
  ['gpt2', (e) => new Gpt2Model(gpt2(), e, { seed: 1 })],
];

describe.each(models)('%s model', (_, make) => {
  it('allocates activations once: flat over many steps, reused for smaller shapes, grown for larger', () => {
    const { engine, count } = counting();
    const model = make(engine);
    const step = (b: ModelBatch) => {
      model.zeroGrad();
      model.forward(b, { rng: Rng.of(1, 0, 0, 'dropout') });
      model.backward();
    };
    step(batchOf(3, 8));
    const after = count();
    for (let i = 0; i < 30; i++) step(batchOf(3, 8, i));
    step(batchOf(2, 6));
    expect(count()).toBe(after);
    step(batchOf(3, 12));
    expect(count()).toBeGreaterThan(after);
  });

  it('dropout only with an rng: same stream, same loss; eval has none', () => {
    const model = make(createReferenceEngine());
    const b = batchOf(2, 8, 0, { next_sentence_label: Int32Array.of(0, 1) });
    const evalLoss = model.forward(b).loss;
    expect(model.forward(b).loss).toBe(evalLoss);
    const a = model.forward(b, { rng: Rng.of(5, 0, 0, 'd') }).loss;
    expect(model.forward(b, { rng: Rng.of(5, 0, 0, 'd') }).loss).toBe(a);
    expect(a).not.toBe(evalLoss);
    expect(model.forward(b, { rng: Rng.of(6, 0, 0, 'd') }).loss).not.toBe(a);
  });

  it('returns logits on request, with labels a copy untouched by the loss', () => {
    const model = make(createReferenceEngine());
    const b = batchOf(2, 8);
    expect(model.forward({ ...b, labels: undefined }).logits).toBeUndefined();
    const plain = model.forward({ ...b, labels: undefined }, { logits: true });
    expect(plain.loss).toBeUndefined();
    const V = model.config.vocab_size;
    expect(plain.logits?.length).toBe(2 * 8 * V);
    const all = Float32Array.from(plain.logits as Float32Array);
    const out = model.forward(b, { logits: true });
    const rows = out.logitRows ?? Int32Array.from({ length: 16 }, (_, i) => i);
    expect(out.logits?.length).toBe(rows.length * V);
    rows.forEach((r, k) =>
      expect(Array.from((out.logits as Float32Array).subarray(k * V, (k + 1) * V))).toEqual(
        Array.from(all.subarray(r * V, (r + 1) * V)),
      ),
    );
    expect(model.forward(b).logits).toBeUndefined();
  });

  it('a batch without any label gives loss 0 and no head gradient', () => {
    const model = make(createReferenceEngine());
    const b = batchOf(2, 8);
    const out = model.forward({ ...b, labels: new Int32Array(16).fill(-100) });
    expect(out.loss).toBe(0);
    expect(out.count).toBe(0);
    model.zeroGrad();
    model.backward();
    for (const p of model.parameters()) expect(p.grad.every((g) => g === 0)).toBe(true);
  });

  it('rejects out-of-range ids, labels, positions and wrong lengths; backward needs a forward', () => {
    const model = make(createReferenceEngine());
    expect(() => model.backward()).toThrow(PretextError);
    const b = batchOf(2, 8);
    expect(() => model.forward({ ...b, input_ids: b.input_ids.map((x, i) => (i === 3 ? 50 : x)) })).toThrow(
      /input id 50/,
    );
    expect(() => model.forward({ ...b, labels: b.labels?.map((x, i) => (i === 3 ? -1 : x)) })).toThrow(/label -1/);
    expect(() => model.forward({ ...b, position_ids: new Int32Array(16).fill(16) })).toThrow(/position id 16/);
    expect(() => model.forward(batchOf(1, 17))).toThrow(/exceeds/);
    expect(() => model.forward({ ...b, attention_mask: new Uint8Array(15) })).toThrow(PretextError);
  });

  it('initialises as HF: weights N(0, 0.02), LayerNorm 1 / 0, biases 0; deterministic per seed', () => {
    const e = createReferenceEngine();
    const a = make(e);
    const again = make(e);
    for (const p of a.parameters()) {
      const mean = p.data.reduce((s, x) => s + x, 0) / p.data.length;
      const std = Math.sqrt(p.data.reduce((s, x) => s + x * x, 0) / p.data.length);
      if (p.name.endsWith('bias')) expect(std).toBe(0);
      else if (/LayerNorm|ln_/.test(p.name)) expect(mean).toBe(1);
      else if (p.name.endsWith('c_proj.weight')) expect(std).toBeCloseTo(0.02 / Math.sqrt(4), 2);
      else if (p.data.length > 500) expect(std).toBeCloseTo(0.02, 2);
      expect(p.decay).toBe(!(p.name.endsWith('bias') || /LayerNorm|ln_/.test(p.name)));
    }
    a.parameters().forEach((p, i) => expect(p.data).toEqual(again.parameters()[i].data));
  });
});

describe('BERT specifics', () => {
  it('zeroes the pad_token_id row at init and keeps HF names, query/key/value as views of one packed qkv', () => {
    const model = new BertModel(bert({ pad_token_id: 3 }), createReferenceEngine());
    const [word] = model.parameters();
    expect(word.name).toBe('bert.embeddings.word_embeddings.weight');
    expect(word.data.subarray(3 * 16, 4 * 16).every((x) => x === 0)).toBe(true);
    const names = model.parameters().map((p) => p.name);
    expect(names.slice(5, 11)).toEqual(
      ['query', 'key', 'value'].flatMap((x) => [
        `bert.encoder.layer.0.attention.self.${x}.weight`,
        `bert.encoder.layer.0.attention.self.${x}.bias`,
      ]),
    );
    const [q, , k] = model.parameters().slice(5);
    expect(q.data.buffer).toBe(k.data.buffer);
    expect(k.data.byteOffset - q.data.byteOffset).toBe(16 * 16 * 4);
    expect(names).not.toContain('bert.pooler.dense.weight');
  });

  it('a dense [B, T, T] mask equal to the padding mask gives the same loss', () => {
    const model = new BertModel(bert(), createReferenceEngine());
    const pad = Uint8Array.of(1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    const dense = new Uint8Array(2 * 8 * 8);
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) dense[(b * 8 + i) * 8 + j] = pad[b * 8 + j];
    const b = batchOf(2, 8);
    const viaPad = model.forward({ ...b, attention_mask: pad }).loss;
    expect(model.forward({ ...b, attention_mask: dense }).loss).toBe(viaPad);
    expect(model.forward(b).loss).not.toBe(viaPad);
  });
});

describe('configs', () => {
  it('fills HF defaults and rejects what the model cannot run', () => {
    expect(parseModelConfig('{"model_type":"bert"}')).toMatchObject({
      hidden_size: 768,
      layer_norm_eps: 1e-12,
      architectures: ['BertForMaskedLM'],
    });
    expect(parseModelConfig({ model_type: 'gpt2', n_layer: 2 })).toMatchObject({
      n_embd: 768,
      n_layer: 2,
      activation_function: 'gelu_new',
    });
    expect(parseModelConfig({ model_type: 't5', num_layers: 3 })).toMatchObject({
      d_model: 512,
      num_decoder_layers: 3,
      feed_forward_proj: 'relu',
      tie_word_embeddings: true,
    });
    expect(() => parseModelConfig({ model_type: 'bart' })).toThrow(PretextError);
    expect(() => parseModelConfig({ model_type: 't5', feed_forward_proj: 'gated-silu' })).toThrow(/feed_forward_proj/);
    expect(() => bertConfig({ hidden_size: 10, num_attention_heads: 3 })).toThrow(/multiple/);
    expect(() => bertConfig({ hidden_act: 'relu' as 'gelu' })).toThrow(/hidden_act/);
    expect(() => gpt2Config({ tie_word_embeddings: false })).toThrow(/untied/);
    expect(() => gpt2Config({ resid_pdrop: 1 })).toThrow(/resid_pdrop/);
  });
});
