import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { PretextError } from '../errors.js';
import { createModel, loadModel, saveModel } from './checkpoint.js';
import { bertConfig, gpt2Config, parseModelConfig } from './config.js';
import { goldenBatch, loadGolden } from './goldens.case.js';
import { readSafetensors, writeSafetensors, type TensorToWrite } from './safetensors.js';

const engine = createReferenceEngine();
const tensorsOf = (bytes: Uint8Array) =>
  new Map([...readSafetensors(bytes).tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data } as TensorToWrite]));

describe('checkpoints (HF save_pretrained layout)', () => {
  for (const name of ['bert-mlm', 'bert-pretraining', 'gpt2-clm', 'preln-mlm']) {
    it(`${name}: load then save gives the PyTorch-written file byte for byte (tied copies omitted, Conv1D transposed back)`, () => {
      const g = loadGolden(name);
      const model = loadModel(g.meta.config, g.weights, engine, { strict: true });
      const saved = saveModel(model);
      expect(Buffer.from(saved.safetensors).equals(Buffer.from(g.weights))).toBe(true);
      const config = JSON.parse(saved.config);
      expect(config).toMatchObject({ ...g.meta.config, torch_dtype: 'float32' });
      const again = loadModel(saved.config, saved.safetensors, engine, { strict: true });
      const batch = goldenBatch(g);
      expect(again.forward(batch).loss).toBe(model.forward(batch).loss);
    });
  }

  it("pre-LN: HF's tied lm_head.decoder.* alone or alongside; the base model's names; RobertaPreLayerNormConfig", () => {
    const g = loadGolden('preln-mlm');
    const ref = loadModel(g.meta.config, g.weights, engine).forward(goldenBatch(g)).loss;
    const word = 'roberta_prelayernorm.embeddings.word_embeddings.weight';
    const t = tensorsOf(g.weights);
    t.set('lm_head.decoder.weight', t.get(word) as TensorToWrite);
    t.set('lm_head.decoder.bias', t.get('lm_head.bias') as TensorToWrite);
    const load = (m: Map<string, TensorToWrite>) =>
      loadModel(g.meta.config, writeSafetensors(m), engine, { strict: true }).forward(goldenBatch(g)).loss;
    expect(load(t)).toBe(ref);
    t.delete(word);
    t.delete('lm_head.bias');
    expect(load(t)).toBe(ref);
    const base = new Map(
      // RobertaPreLayerNormModel.save_pretrained: no prefix (the head then starts fresh)
      [...tensorsOf(g.weights)].map(([k, v]) => [k.replace(/^roberta_prelayernorm\./, ''), v]),
    );
    const encoder = loadModel(g.meta.config, writeSafetensors(base), engine).parameters();
    expect(encoder.find((p) => p.name === 'roberta_prelayernorm.LayerNorm.weight')?.data).toEqual(
      readSafetensors(g.weights).tensors.get('roberta_prelayernorm.LayerNorm.weight')?.data,
    );
    const c = parseModelConfig({ model_type: 'roberta-prelayernorm' });
    expect(c).toMatchObject({
      architectures: ['RobertaPreLayerNormForMaskedLM'],
      pad_token_id: 1,
      bos_token_id: 0,
      eos_token_id: 2,
      layer_norm_eps: 1e-12,
      max_position_embeddings: 512,
    });
    expect(() => parseModelConfig({ model_type: 'roberta-prelayernorm', architectures: ['BertForMaskedLM'] })).toThrow(
      'roberta-prelayernorm: RobertaPreLayerNormForMaskedLM',
    );
    expect(() => parseModelConfig({ model_type: 'bert', architectures: ['RobertaPreLayerNormForMaskedLM'] })).toThrow(
      'BertForMaskedLM, BertForPreTraining or BertModel',
    );
    expect(() => parseModelConfig({ model_type: 'roberta-prelayernorm', max_position_embeddings: 2 })).toThrow(
      'leaves no position after the first 2 rows',
    );
  });

  it('accepts the tied copies (cls.predictions.decoder.*, lm_head.weight) alone or alongside', () => {
    for (const name of ['bert-mlm', 'gpt2-clm']) {
      const g = loadGolden(name);
      const t = tensorsOf(g.weights);
      const [main, copy] =
        name === 'bert-mlm'
          ? ['bert.embeddings.word_embeddings.weight', 'cls.predictions.decoder.weight']
          : ['transformer.wte.weight', 'lm_head.weight'];
      t.set(copy, t.get(main) as TensorToWrite);
      if (name === 'bert-mlm') t.set('cls.predictions.decoder.bias', t.get('cls.predictions.bias') as TensorToWrite);
      const ref = loadModel(g.meta.config, g.weights, engine).forward(goldenBatch(g)).loss;
      expect(loadModel(g.meta.config, writeSafetensors(t), engine, { strict: true }).forward(goldenBatch(g)).loss).toBe(
        ref,
      );
      t.delete(main);
      expect(loadModel(g.meta.config, writeSafetensors(t), engine, { strict: true }).forward(goldenBatch(g)).loss).toBe(
        ref,
      );
    }
  });

  it('accepts base-model names (no bert. / transformer. prefix), LayerNorm gamma / beta and HF buffers', () => {
    const g = loadGolden('gpt2-clm');
    const t = new Map([...tensorsOf(g.weights)].map(([k, v]) => [k.replace(/^transformer\./, ''), v]));
    t.set('h.0.attn.bias', { shape: [1, 1, 16, 16], data: new Float32Array(256) });
    const ref = loadModel(g.meta.config, g.weights, engine).forward(goldenBatch(g)).loss;
    expect(loadModel(g.meta.config, writeSafetensors(t), engine, { strict: true }).forward(goldenBatch(g)).loss).toBe(
      ref,
    );

    const b = loadGolden('bert-mlm');
    const tb = new Map(
      [...tensorsOf(b.weights)].map(([k, v]) => [
        k.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
        v,
      ]),
    );
    tb.set('bert.embeddings.position_ids', { shape: [1, 16], data: new Int32Array(16) });
    const refB = loadModel(b.meta.config, b.weights, engine).forward(goldenBatch(b)).loss;
    expect(loadModel(b.meta.config, writeSafetensors(tb), engine, { strict: true }).forward(goldenBatch(b)).loss).toBe(
      refB,
    );
  });

  it('ignores unused tensors unless strict, and rejects missing tensors and wrong shapes', () => {
    const g = loadGolden('bert-pretraining');
    const mlmConfig = { ...g.meta.config, architectures: ['BertForMaskedLM'] };
    expect(
      loadModel(mlmConfig, g.weights, engine)
        .parameters()
        .some((p) => p.name.includes('pooler')),
    ).toBe(false);
    expect(() => loadModel(mlmConfig, g.weights, engine, { strict: true })).toThrow(/unexpected tensors: bert.pooler/);
    const m = loadGolden('bert-mlm');
    const t = tensorsOf(m.weights);
    t.delete('cls.predictions.transform.dense.bias');
    expect(() => loadModel(m.meta.config, writeSafetensors(t), engine)).toThrow(
      /missing 1 tensors: cls.predictions.transform.dense.bias/,
    );
    expect(loadModel(m.meta.config, writeSafetensors(t), engine, { allowMissing: true })).toBeDefined();
    t.set('cls.predictions.transform.dense.bias', { shape: [31], data: new Float32Array(31) });
    expect(() => loadModel(m.meta.config, writeSafetensors(t), engine)).toThrow(PretextError);
  });

  it('writes Conv1D weights as [in, out] and fresh models round-trip', () => {
    const model = createModel(
      gpt2Config({ vocab_size: 20, n_positions: 8, n_embd: 8, n_layer: 1, n_head: 2 }),
      engine,
      { seed: 3 },
    );
    const file = readSafetensors(saveModel(model).safetensors);
    expect(file.tensors.get('transformer.h.0.attn.c_attn.weight')?.shape).toEqual([8, 24]);
    expect(file.tensors.get('transformer.h.0.mlp.c_fc.weight')?.shape).toEqual([8, 32]);
    expect(file.tensors.has('lm_head.weight')).toBe(false);
    const internal = model.parameters().find((p) => p.name === 'transformer.h.0.attn.c_attn.weight');
    expect(file.tensors.get('transformer.h.0.attn.c_attn.weight')?.data[1]).toBe(internal?.data[8]); // HF [0, 1] = ours [1, 0]
    const bert = createModel(
      bertConfig({
        vocab_size: 20,
        hidden_size: 8,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        intermediate_size: 16,
      }),
      engine,
    );
    const saved = saveModel(bert);
    const back = loadModel(saved.config, saved.safetensors, engine, { strict: true, seed: 99 });
    back.parameters().forEach((p, i) => expect(p.data).toEqual(bert.parameters()[i].data));
  });
});
