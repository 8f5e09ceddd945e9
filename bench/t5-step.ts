// The T5 row of npm run bench:train (arch-steps.ts): one training step of a T5ForConditionalGeneration at a preset's sizes
// (d_model = hiddenSize, num_heads, d_kv = hiddenSize / numHeads, d_ff = ffnSize, numLayers encoder and decoder
// blocks, ReLU FFN, tied head) on batchSize rows of seqLen random tokens through the span-corruption objective
// (15% noise, mean span 3: encoder ~ 0.89 seqLen, decoder ~ 0.2 seqLen), forward + backward + AdamW, fp32, dropout 0.
import type { Config } from '../src/config/index.js';
import type { Engine } from '../src/engine/engine.js';
import { padRows } from '../src/batch/pad.js';
import { t5Config, T5Model, type ModelBatch, type T5Config } from '../src/model/index.js';
import { spanCorruptionObjective } from '../src/objectives/span-corruption/index.js';
import { Rng } from '../src/rng/rng.js';
import { AdamW } from '../src/train/optimizer.js';

const SENTINELS = 100;

/** batchSize span-corrupted rows of seqLen random ids over a vocabulary of vocabSize ids + 100 sentinels. */
export function t5Batch(config: Config): ModelBatch {
  const V = config.vocabSize + SENTINELS;
  const rng = Rng.of(0, 0, 0, 'bench:train t5');
  const rows = Array.from({ length: config.batchSize }, () => ({
    input_ids: Int32Array.from({ length: config.seqLen }, () => 3 + rng.int(config.vocabSize - 3)),
  }));
  const vocab = { vocabSize: V, padId: 0, eosId: 1, unkId: 2, specialIds: [0, 1, 2] };
  const opts = spanCorruptionObjective.resolve({});
  const corrupted = [...spanCorruptionObjective.transform(rows, opts, { seed: 0, epoch: 0, vocab })].map((r) => ({
    ...r,
  }));
  const b = padRows(corrupted, { side: 'right', padId: 0 });
  const f = b.fields;
  return {
    batchSize: b.batchSize,
    length: b.length,
    input_ids: f.input_ids as Int32Array,
    attention_mask: f.attention_mask as Uint8Array,
    decoderLength: b.shapes.labels[1],
    decoder_input_ids: f.decoder_input_ids as Int32Array,
    labels: f.labels as Int32Array,
  };
}

/** The model, its optimizer and one step (zero grads, forward, backward, AdamW) on `batch`. */
export function t5Step(
  config: Config,
  engine: Engine,
): { step: () => number; batch: ModelBatch; model: T5Model; parameters: number; config: T5Config } {
  const hf = benchT5Config(config);
  const model = new T5Model(hf, engine, { seed: 0 });
  const opt = new AdamW(engine, model.parameters(), { lr: config.lr, weightDecay: 0.01, maxGradNorm: 1 });
  const batch = t5Batch(config);
  const step = () => {
    model.zeroGrad();
    const { loss } = model.forward(batch);
    model.backward();
    opt.step();
    return loss as number;
  };
  return { step, batch, model, parameters: model.parameters().reduce((n, p) => n + p.data.length, 0), config: hf };
}

/** The T5Config of the bench's model at a preset's sizes. */
export function benchT5Config(config: Config): T5Config {
  return t5Config({
    vocab_size: config.vocabSize + SENTINELS,
    d_model: config.hiddenSize,
    d_kv: config.hiddenSize / config.numHeads,
    d_ff: config.ffnSize,
    num_layers: config.numLayers,
    num_heads: config.numHeads,
    dropout_rate: 0,
  });
}
