// The ELECTRA row of npm run bench:train (arch-steps.ts): one training step of ELECTRA's generator + discriminator at a preset's
// sizes (discriminator: hidden hiddenSize, embedding_size hiddenSize / 2 with embeddings_project as electra-small's
// 128 / 256, numLayers, numHeads, ffnSize; generator: a quarter of the hidden size, ELECTRA's get_generator_config) on
// batchSize rows of seqLen random tokens masked by the electra objective (15%, draws with replacement, cap
// int(0.155 x seqLen) per row), forward (samples, corruption, both losses) + backward + AdamW, fp32, dropout 0.
import { padRows } from '../src/batch/pad.js';
import type { Config } from '../src/config/index.js';
import type { Engine } from '../src/engine/engine.js';
import {
  electraConfig,
  electraGeneratorConfig,
  ElectraPretraining,
  type ElectraConfig,
  type ModelBatch,
} from '../src/model/index.js';
import { electraObjective } from '../src/objectives/electra/index.js';
import { Rng } from '../src/rng/rng.js';
import { AdamW } from '../src/train/optimizer.js';

const vocabOf = (config: Config) => ({
  vocabSize: config.vocabSize,
  padId: 0,
  unkId: 1,
  clsId: 2,
  sepId: 3,
  maskId: 4,
  specialIds: [0, 1, 2, 3, 4],
});

/** batchSize rows [CLS] random ids [SEP] of seqLen tokens through the electra objective, collated. */
export function electraBatch(config: Config): ModelBatch {
  const rng = Rng.of(0, 0, 0, 'bench:train electra');
  const T = config.seqLen;
  const rows = Array.from({ length: config.batchSize }, () => ({
    input_ids: Int32Array.from({ length: T }, (_, t) =>
      t === 0 ? 2 : t === T - 1 ? 3 : 5 + rng.int(config.vocabSize - 5),
    ),
  }));
  const opts = electraObjective.resolve({ maskProb: 0.15, maxSeqLength: T });
  const masked = [...electraObjective.transform(rows, opts, { seed: 0, epoch: 0, vocab: vocabOf(config) })];
  const b = padRows(masked, { side: 'right', padId: 0 });
  const f = b.fields;
  return {
    batchSize: b.batchSize,
    length: b.length,
    input_ids: f.input_ids as Int32Array,
    attention_mask: f.attention_mask as Uint8Array,
    labels: f.labels as Int32Array,
    masked_positions: f.masked_positions as Int32Array,
  };
}

/** The pair, its optimizer and one step (zero grads, forward, backward, AdamW) on `batch`. */
export function electraStep(
  config: Config,
  engine: Engine,
): {
  step: () => number;
  batch: ModelBatch;
  model: ElectraPretraining;
  parameters: number;
  config: ElectraConfig;
  generator: ElectraConfig;
} {
  const disc = electraConfig({
    vocab_size: config.vocabSize,
    embedding_size: Math.max(1, config.hiddenSize / 2),
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads,
    intermediate_size: config.ffnSize,
    max_position_embeddings: config.maxPositions,
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
  });
  const generator = electraGeneratorConfig(disc);
  const model = new ElectraPretraining(disc, generator, engine, { seed: 0 });
  const opt = new AdamW(engine, model.parameters(), { lr: config.lr, weightDecay: 0.01, maxGradNorm: 1 });
  const batch = electraBatch(config);
  const rng = Rng.of(0, 0, 0, 'bench:train electra.sample');
  const step = () => {
    model.zeroGrad();
    const { loss } = model.forward(batch, { rng: rng.fork('step') });
    model.backward();
    opt.step();
    return loss as number;
  };
  return {
    step,
    batch,
    model,
    parameters: model.parameters().reduce((n, p) => n + p.data.length, 0),
    config: disc,
    generator,
  };
}
