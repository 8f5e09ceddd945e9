// The electra and simcse model families: configs from a run's sizes and the objective's options, the pair / model
// they create, and the validation figures of one forward pass.
import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { PretextError } from '../errors.js';
import type { ElectraConfig, BertConfig } from './config.js';
import { electraFamily } from './electra-family.js';
import { ElectraPretraining } from './electra-pretraining.js';
import { simcseFamily } from './simcse-family.js';
import { SimcseModel } from './simcse.js';

const dims = {
  vocabSize: 40,
  hiddenSize: 16,
  numLayers: 1,
  numHeads: 2,
  ffnSize: 32,
  maxPositions: 16,
  dropout: 0,
  initializerRange: 0.02,
};
const specials = { padId: 0 };

describe('electra family', () => {
  it('discriminator at the run sizes with embedding_size C/2; the pair, ELECTRA duplicates under compat electra', () => {
    const c = electraFamily.config({ dims, specials, head: 'rtd', settings: { compat: 'none' } }) as ElectraConfig;
    expect([c.architectures[0], c.hidden_size, c.embedding_size]).toEqual(['ElectraForPreTraining', 16, 8]);
    expect(c.electra_pretraining).toMatchObject({ disc_weight: 50, generator_hidden_ratio: 0.25, duplicates: 'last' });
    const pair = electraFamily.create(c, createReferenceEngine(), 1) as ElectraPretraining;
    expect(pair).toBeInstanceOf(ElectraPretraining);
    expect([pair.generatorConfig.hidden_size, pair.discWeight, pair.duplicates]).toEqual([4, 50, 'last']);
    const avg = electraFamily.config({ dims, specials, head: 'rtd', settings: { compat: 'electra' } }) as ElectraConfig;
    expect((electraFamily.create(avg, createReferenceEngine(), 1) as ElectraPretraining).duplicates).toBe('average');
    expect(() => electraFamily.config({ dims, specials, head: 'mlm', settings: {} })).toThrow(PretextError);
    expect(electraFamily.lossDefaults).toEqual({ rtd: 50 });
  });

  it('figures: both losses, generator accuracy, discriminator accuracy, replaced share and AUC', () => {
    const out = {
      loss: 1,
      lmLoss: 2,
      count: 4,
      lmCorrect: 1,
      rtd: { loss: 0.5, logits: Float32Array.of(2, -1, 0.5, -2), labels: Uint8Array.of(1, 0, 0, 0) },
    };
    const m = electraFamily.metrics(
      out,
      { batchSize: 1, length: 4, input_ids: new Int32Array(4) },
      {} as ElectraConfig,
    );
    expect(m).toEqual({
      mlm_loss: { sum: 8, count: 4 },
      gen_accuracy: { sum: 1, count: 4 },
      rtd_loss: { sum: 2, count: 4 },
      disc_accuracy: { sum: 3, count: 4 },
      replaced: { sum: 1, count: 4 },
      rtd_auc: { sum: 1, count: 1 },
    });
  });
});

describe('simcse family', () => {
  const config = (settings: Record<string, unknown>) =>
    simcseFamily.config({
      dims,
      specials,
      head: 'contrastive',
      settings: { temperature: 0.05, hardNegativeWeight: 0, mode: 'unsupervised', ...settings },
    }) as BertConfig;

  it('poolers per phase: cls + mlpOnlyTrain evaluates as cls_before_pooler; supervised keeps the MLP', () => {
    expect(config({ pooler: 'cls', mlpOnlyTrain: true }).simcse).toMatchObject({
      pooler: 'cls',
      eval_pooler: 'cls_before_pooler',
    });
    expect(config({ pooler: 'cls', mlpOnlyTrain: false, mode: 'supervised' }).simcse).toMatchObject({
      pooler: 'cls',
      eval_pooler: 'cls',
    });
    expect(config({ pooler: 'avg', mlpOnlyTrain: true }).simcse).toMatchObject({ pooler: 'avg', eval_pooler: 'avg' });
    expect(() => config({ pooler: 'avg_top2' })).toThrow(
      "simcse trains with the poolers cls, cls_before_pooler, avg, not 'avg_top2'",
    );
  });

  it("unsupervised SimCSE's noise is dropout: 0.1 where the run has none; the model is a SimcseModel (BertModel)", () => {
    const c = config({ pooler: 'cls', mlpOnlyTrain: true });
    expect([c.architectures[0], c.hidden_dropout_prob, c.attention_probs_dropout_prob]).toEqual([
      'BertModel',
      0.1,
      0.1,
    ]);
    expect(config({ pooler: 'cls', mode: 'supervised' }).hidden_dropout_prob).toBe(0);
    expect(simcseFamily.create(c, createReferenceEngine(), 1)).toBeInstanceOf(SimcseModel);
  });

  it('validation keeps dropout (a fixed stream) for unsupervised views, none for supervised triples', () => {
    const b = {
      batchSize: 1,
      length: 3,
      input_ids: Int32Array.of(2, 5, 3),
      positive_input_ids: Int32Array.of(2, 5, 3),
    };
    expect(simcseFamily.evalOptions(b).rng).toBeDefined();
    expect(simcseFamily.evalOptions({ ...b, negative_input_ids: Int32Array.of(2, 6, 3) }).rng).toBeUndefined();
  });
});
