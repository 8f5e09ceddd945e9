// The encoder-decoder family end to end below the CLI: each seq2seq objective's rows collate into one T5 batch,
// a small T5 overfits one batch of span corruption (loss falls, exact-span accuracy rises).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/config.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { T5Model } from '../model/index.js';
import { bartInfillingObjective } from '../objectives/bart-infilling/index.js';
import type { ModelInput, TokenExample } from '../batch/row.js';
import { prefixLmObjective } from '../objectives/prefix-lm/index.js';
import { spanCorruptionObjective } from '../objectives/span-corruption/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { Rng } from '../rng/rng.js';
import { AdamW } from './optimizer.js';
import { evaluateSeq2seq, seq2seqBatch, t5ModelConfig } from './seq2seq.js';

const V = 60;
const vocab: VocabInfo = { vocabSize: V, padId: 0, eosId: 1, unkId: 2, specialIds: [0, 1, 2, ...Array.from({ length: 10 }, (_, i) => 50 + i)] };
const rng = Rng.of(1, 0, 0, 'rows');
const rows: TokenExample[] = Array.from({ length: 4 }, (_, r) => ({ input_ids: Int32Array.from({ length: 14 + r }, () => 3 + rng.int(47)) }));
const ctx = { seed: 0, epoch: 0, vocab };
const config = { ...defaultConfig, hiddenSize: 32, numHeads: 4, numLayers: 2, ffnSize: 64, dropout: 0 };

const transformed = {
  'span-corruption': () => [...spanCorruptionObjective.transform(rows, spanCorruptionObjective.resolve({ noiseDensity: 0.3 }), ctx)],
  'prefix-lm': () => [...prefixLmObjective.transform(rows, prefixLmObjective.resolve({}), ctx)],
  'bart-infilling': () => [...bartInfillingObjective.transform(rows, bartInfillingObjective.resolve({}), { ...ctx, vocab: { ...vocab, maskId: 49, specialIds: [...vocab.specialIds, 49] } })],
} satisfies Record<string, () => ModelInput[]>;

describe('seq2seq training rows on T5', () => {
  for (const [id, make] of Object.entries(transformed)) {
    it(`${id}: rows collate into an encoder-decoder batch the model trains on`, () => {
      const batch = seq2seqBatch(make(), vocab.padId);
      expect(batch.batchSize).toBe(4);
      const Td = batch.decoderLength as number;
      expect((batch.labels as Int32Array).length).toBe(4 * Td);
      expect((batch.decoder_input_ids as Int32Array)[0]).toBe(id === 'bart-infilling' ? vocab.eosId : vocab.padId); // decoder start: T5 pad, BART eos
      const model = new T5Model(t5ModelConfig(config, vocab), createReferenceEngine(), { seed: 1 });
      const out = model.forward(batch);
      expect(out.count).toBe(Array.from(batch.labels as Int32Array).filter((x) => x !== -100).length);
      model.backward();
      expect(Number.isFinite(out.loss)).toBe(true);
    });
  }

  it('span corruption: overfitting one batch lowers the target loss and raises exact-span accuracy', () => {
    const batch = seq2seqBatch(transformed['span-corruption'](), vocab.padId);
    const model = new T5Model(t5ModelConfig(config, vocab), createReferenceEngine(), { seed: 2 });
    const opt = new AdamW(model.engine, model.parameters(), { lr: 3e-3 });
    const before = evaluateSeq2seq(model, [batch]);
    expect(before.spans).toBeGreaterThan(4);
    for (let i = 0; i < 60; i++) {
      model.zeroGrad();
      model.forward(batch);
      model.backward();
      opt.step();
    }
    const after = evaluateSeq2seq(model, [batch]);
    expect(after.loss).toBeLessThan(before.loss / 3);
    expect(after.spanAccuracy).toBeGreaterThan(before.spanAccuracy);
    expect(after.spanAccuracy).toBeGreaterThan(0.5);
    expect(after.tokenAccuracy).toBeGreaterThan(0.8);
  });
});
