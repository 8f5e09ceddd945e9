// The T5 row of npm run bench:train: one training step of a T5ForConditionalGeneration at a preset's sizes
// (d_model = hiddenSize, num_heads, d_kv = hiddenSize / numHeads, d_ff = ffnSize, numLayers encoder and decoder
// blocks, ReLU FFN, tied head) on batchSize rows of seqLen random tokens through the span-corruption objective
// (15% noise, mean span 3: encoder ~ 0.89 seqLen, decoder ~ 0.2 seqLen), forward + backward + AdamW, fp32, dropout 0.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  const rows = Array.from({ length: config.batchSize }, () => ({ input_ids: Int32Array.from({ length: config.seqLen }, () => 3 + rng.int(config.vocabSize - 3)) }));
  const vocab = { vocabSize: V, padId: 0, eosId: 1, unkId: 2, specialIds: [0, 1, 2] };
  const opts = spanCorruptionObjective.resolve({});
  const corrupted = [...spanCorruptionObjective.transform(rows, opts, { seed: 0, epoch: 0, vocab })].map((r) => ({ ...r }));
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
export function t5Step(config: Config, engine: Engine): { step: () => number; batch: ModelBatch; model: T5Model } {
  const model = new T5Model(
    benchT5Config(config),
    engine,
    { seed: 0 },
  );
  const opt = new AdamW(engine, model.parameters(), { lr: config.lr, weightDecay: 0.01, maxGradNorm: 1 });
  const batch = t5Batch(config);
  const step = () => {
    model.zeroGrad();
    const { loss } = model.forward(batch);
    model.backward();
    opt.step();
    return loss as number;
  };
  return { step, batch, model };
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

export interface T5Result {
  model: 't5';
  engine: 'reference' | 'wasm';
  threads: number;
  build?: string;
  step_ms: number;
  /** raw tokens per second: batchSize x seqLen before corruption, the text a step consumes */
  tokens_per_s: number;
  encoder_length: number;
  decoder_length: number;
  steps_timed: number;
  /** PyTorch's ms per step (the better of 1 and 2 threads, same run) over ours; undefined without torch */
  vs_pytorch?: number;
}

/** Median ms of `timed` steps after `warmup`, on `engine`. */
export function benchT5(config: Config, engine: Engine, warmup: number, timed: number, build?: string): T5Result {
  const { step, batch } = t5Step(config, engine);
  for (let i = 0; i < warmup; i++) step();
  const ms: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    step();
    ms.push(performance.now() - t0);
  }
  const median = [...ms].sort((a, b) => a - b)[ms.length >> 1];
  return {
    model: 't5',
    engine: engine.name,
    threads: engine.threads,
    build,
    step_ms: Number(median.toFixed(1)),
    tokens_per_s: Math.round((config.batchSize * config.seqLen * 1000) / median),
    encoder_length: batch.length,
    decoder_length: batch.decoderLength as number,
    steps_timed: timed,
  };
}

// From dist/bench/ (npm run bench:train) or from bench/ (the sources).
const TORCH_SCRIPT = ['../../tools/bench-t5-torch.py', '../tools/bench-t5-torch.py'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p));

/**
 * The same step in PyTorch (tools/bench-t5-torch.py): median ms at 1 and 2 threads, or undefined when
 * /usr/bin/python3 cannot import torch (or the script fails: its stderr is printed).
 */
export function torchT5(config: Config, warmup: number, timed: number): Record<string, number> | undefined {
  if (TORCH_SCRIPT === undefined || spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return undefined;
  const b = t5Batch(config);
  const rows = (x: ArrayLike<number>, L: number) => Array.from({ length: b.batchSize }, (_, r) => Array.from(x).slice(r * L, (r + 1) * L));
  const Td = b.decoderLength as number;
  const job = {
    config: benchT5Config(config),
    lr: config.lr,
    warmup,
    timed,
    batch: { input_ids: rows(b.input_ids, b.length), attention_mask: rows(b.attention_mask as Uint8Array, b.length), decoder_input_ids: rows(b.decoder_input_ids as Int32Array, Td), labels: rows(b.labels as Int32Array, Td) },
  };
  const run = spawnSync('/usr/bin/python3', [TORCH_SCRIPT], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) {
    process.stderr.write(`bench: the PyTorch T5 step failed:\n${run.stderr}`);
    return undefined;
  }
  return (JSON.parse(run.stdout) as { threads: Record<string, number> }).threads;
}
