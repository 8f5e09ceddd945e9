// The rows of npm run bench:train: one training step (zero grads, forward, backward, AdamW) of each architecture at a
// preset's sizes on a fixed batch of batchSize x seqLen random tokens, fp32, dropout 0. BERT MLM and BERT with the
// pair head (BertForPreTraining: MLM + NSP) mask 15% of the positions, and the MLM head runs on those rows only
// (sparse prediction); GPT-2 predicts every next token; T5 and ELECTRA are t5-step.ts and electra-step.ts. Each step
// carries its HF config and batch, so the PyTorch side (tools/bench-train-torch.py) runs the same step.
import type { Config } from '../src/config/index.js';
import type { Engine } from '../src/engine/engine.js';
import { bertConfig, createModel, gpt2Config, type ModelBatch, type ModelConfig } from '../src/model/index.js';
import { Rng } from '../src/rng/rng.js';
import { AdamW } from '../src/train/optimizer.js';
import { electraStep } from './electra-step.js';
import { t5Step } from './t5-step.js';

export type ArchId = 'bert-mlm' | 'bert-pair' | 'gpt2' | 't5' | 'electra';

export const ARCHS: readonly { id: ArchId; title: string }[] = [
  { id: 'bert-mlm', title: 'BERT MLM' },
  { id: 'bert-pair', title: 'BERT MLM + NSP' },
  { id: 'gpt2', title: 'GPT-2' },
  { id: 't5', title: 'T5' },
  { id: 'electra', title: 'ELECTRA' },
];

export interface ArchStep {
  step: () => number;
  batch: ModelBatch;
  /** trainable floats, tied weights once */
  parameters: number;
  /** HF config.json of the model (ELECTRA: the discriminator's; `generator` the generator's) */
  config: ModelConfig;
  generator?: ModelConfig;
}

const MASK_ID = 4;

// Rows [CLS] random ids [SEP]; BERT: 15% of the inner positions masked (labels the originals there, -100 elsewhere),
// the pair head: segment B from the middle on and a random next-sentence label per row.
function bertBatch(config: Config, pair: boolean): ModelBatch {
  const { batchSize: B, seqLen: T, vocabSize: V } = config;
  const rng = Rng.of(0, 0, 0, 'bench:train bert');
  const input_ids = new Int32Array(B * T);
  const labels = new Int32Array(B * T).fill(-100);
  const token_type_ids = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const i = b * T + t;
      input_ids[i] = t === 0 ? 2 : t === T - 1 ? 3 : 5 + rng.int(V - 5);
      if (t > 0 && t < T - 1 && rng.bernoulli(0.15)) [labels[i], input_ids[i]] = [input_ids[i], MASK_ID];
      if (pair && t >= T >> 1) token_type_ids[i] = 1;
    }
  }
  const batch: ModelBatch = {
    batchSize: B,
    length: T,
    input_ids,
    attention_mask: new Uint8Array(B * T).fill(1),
    token_type_ids,
    labels,
  };
  if (pair) batch.next_sentence_label = Int32Array.from({ length: B }, () => rng.int(2));
  return batch;
}

function gpt2Batch(config: Config): ModelBatch {
  const { batchSize: B, seqLen: T, vocabSize: V } = config;
  const rng = Rng.of(0, 0, 0, 'bench:train gpt2');
  const input_ids = Int32Array.from({ length: B * T }, () => rng.int(V));
  return {
    batchSize: B,
    length: T,
    input_ids,
    attention_mask: new Uint8Array(B * T).fill(1),
    labels: input_ids.slice(),
  };
}

function modelConfig(arch: 'bert-mlm' | 'bert-pair' | 'gpt2', c: Config): ModelConfig {
  if (arch === 'gpt2') {
    return gpt2Config({
      vocab_size: c.vocabSize,
      n_positions: c.maxPositions,
      n_embd: c.hiddenSize,
      n_layer: c.numLayers,
      n_head: c.numHeads,
      n_inner: c.ffnSize,
      resid_pdrop: 0,
      embd_pdrop: 0,
      attn_pdrop: 0,
      initializer_range: c.initializerRange,
    });
  }
  return bertConfig({
    architectures: [arch === 'bert-pair' ? 'BertForPreTraining' : 'BertForMaskedLM'],
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    intermediate_size: c.ffnSize,
    max_position_embeddings: c.maxPositions,
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    initializer_range: c.initializerRange,
  });
}

function encoderOrDecoderStep(arch: 'bert-mlm' | 'bert-pair' | 'gpt2', config: Config, engine: Engine): ArchStep {
  const hf = modelConfig(arch, config);
  const model = createModel(hf, engine, { seed: 0 });
  const opt = new AdamW(engine, model.parameters(), { lr: config.lr, weightDecay: 0.01, maxGradNorm: 1 });
  const batch = arch === 'gpt2' ? gpt2Batch(config) : bertBatch(config, arch === 'bert-pair');
  const step = () => {
    model.zeroGrad();
    const { loss } = model.forward(batch);
    model.backward();
    opt.step();
    return loss as number;
  };
  return { step, batch, parameters: model.parameters().reduce((n, p) => n + p.data.length, 0), config: hf };
}

/** The step of `arch` at `config`'s sizes on `engine`. */
export function archStep(arch: ArchId, config: Config, engine: Engine): ArchStep {
  if (arch === 't5') return t5Step(config, engine);
  if (arch === 'electra') return electraStep(config, engine);
  return encoderOrDecoderStep(arch, config, engine);
}

/** Median ms of `timed` steps after `warmup`. */
export function timeStep(step: () => number, warmup: number, timed: number): number {
  for (let i = 0; i < warmup; i++) step();
  const ms: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    step();
    ms.push(performance.now() - t0);
  }
  return [...ms].sort((a, b) => a - b)[ms.length >> 1];
}
