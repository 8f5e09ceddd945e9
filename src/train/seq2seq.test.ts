// The encoder-decoder objectives through the pipeline's pieces below the CLI: each one's rows collate
// (padRows -> toModelBatch) into one T5 batch with the decoder's length, the t5 family builds the model from the
// run's sizes, and a small T5 overfits one batch of span corruption (target loss falls, exact-span accuracy rises).
import { describe, expect, it } from 'vitest';
import { padRows } from '../batch/pad.js';
import type { ModelInput, TokenExample } from '../batch/row.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { modelFamily, type Model, type ModelBatch, type ModelConfig } from '../model/index.js';
import { bartInfillingObjective } from '../objectives/bart-infilling/index.js';
import { prefixLmObjective } from '../objectives/prefix-lm/index.js';
import { spanCorruptionObjective } from '../objectives/span-corruption/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { Rng } from '../rng/rng.js';
import { toModelBatch } from './collate.js';
import { AdamW } from './optimizer.js';

const V = 60;
const vocab: VocabInfo = {
  vocabSize: V,
  padId: 0,
  eosId: 1,
  unkId: 2,
  maskId: 49,
  specialIds: [0, 1, 2, 49, ...Array.from({ length: 10 }, (_, i) => 50 + i)],
};
const rng = Rng.of(1, 0, 0, 'rows');
const rows: TokenExample[] = Array.from({ length: 4 }, (_, r) => ({
  input_ids: Int32Array.from({ length: 14 + r }, () => 3 + rng.int(46)),
}));
const ctx = { seed: 0, epoch: 0, vocab };
const t5 = modelFamily('t5');
const config = t5.config({
  dims: {
    vocabSize: V,
    hiddenSize: 32,
    numLayers: 2,
    numHeads: 4,
    ffnSize: 64,
    maxPositions: 0,
    dropout: 0,
    initializerRange: 0.02,
  },
  specials: { padId: 0, eosId: 1 },
  head: 'seq2seq',
  settings: {},
});
const collate = (inputs: ModelInput[]) => toModelBatch(padRows(inputs, { side: 'right', padId: 0 }));

const transformed: Record<string, () => ModelInput[]> = {
  'span-corruption': () => [
    ...spanCorruptionObjective.transform(rows, spanCorruptionObjective.resolve({ noiseDensity: 0.3 }), ctx),
  ],
  'prefix-lm': () => [...prefixLmObjective.transform(rows, prefixLmObjective.resolve({}), ctx)],
  'bart-infilling': () => [...bartInfillingObjective.transform(rows, bartInfillingObjective.resolve({}), ctx)],
};

// The family's validation figures over `batches`, as the trainer sums them.
function figures(model: Model, c: ModelConfig, batches: ModelBatch[]): Record<string, number> {
  const sums: Record<string, { sum: number; count: number }> = {};
  for (const b of batches) {
    for (const [k, m] of Object.entries(t5.metrics(model.forward(b, t5.evalOptions(b)), b, c))) {
      sums[k] ??= { sum: 0, count: 0 };
      sums[k].sum += m.sum;
      sums[k].count += m.count;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([k, m]) => [k, m.count > 0 ? m.sum / m.count : 0]));
}

describe('seq2seq objectives on the t5 family', () => {
  it('the family refuses other heads and names the HF architecture', () => {
    expect(config).toMatchObject({
      architectures: ['T5ForConditionalGeneration'],
      d_model: 32,
      d_kv: 8,
      num_layers: 2,
      num_decoder_layers: 2,
      pad_token_id: 0,
      eos_token_id: 1,
      decoder_start_token_id: 0,
    });
    expect(() =>
      t5.config({
        dims: {
          vocabSize: V,
          hiddenSize: 32,
          numLayers: 2,
          numHeads: 4,
          ffnSize: 64,
          maxPositions: 0,
          dropout: 0,
          initializerRange: 0.02,
        },
        specials: { padId: 0 },
        head: 'lm',
        settings: {},
      }),
    ).toThrow(/seq2seq/);
  });

  for (const [id, make] of Object.entries(transformed)) {
    it(`${id}: rows collate into an encoder-decoder batch the model trains on`, () => {
      const batch = collate(make());
      const Td = batch.decoderLength as number;
      expect((batch.labels as Int32Array).length).toBe(4 * Td);
      expect((batch.decoder_input_ids as Int32Array)[0]).toBe(id === 'bart-infilling' ? vocab.eosId : vocab.padId); // decoder start: T5 pad, BART eos
      const model = t5.create(config, createReferenceEngine(), 1);
      const out = model.forward(batch);
      expect(out.count).toBe(Array.from(batch.labels as Int32Array).filter((x) => x !== -100).length);
      expect(Number.isFinite(out.loss)).toBe(true);
      model.backward();
    });
  }

  it('span corruption: overfitting one batch lowers the target loss and raises exact-span accuracy', () => {
    const batch = collate(transformed['span-corruption']());
    const model = t5.create(config, createReferenceEngine(), 2);
    const opt = new AdamW(model.engine, model.parameters(), { lr: 3e-3 });
    const before = figures(model, config, [batch]);
    for (let i = 0; i < 60; i++) {
      model.zeroGrad();
      model.forward(batch);
      model.backward();
      opt.step();
    }
    const after = figures(model, config, [batch]);
    expect(after.lm_loss).toBeLessThan(before.lm_loss / 3);
    expect(after.span_accuracy).toBeGreaterThan(Math.max(0.5, before.span_accuracy));
    expect(after.token_accuracy).toBeGreaterThan(0.8);
  });
});
