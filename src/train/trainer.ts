// One training run's state and its two operations, step and evaluate. Batch order: a seeded shuffle of the rows per
// epoch (dropping the last partial batch), so batch k of epoch e is a pure function of (seed, e, k) and a resume
// needs only the step count; dropout draws from one stream forked per step, saved in the checkpoint.
import type { Config } from '../config/config.js';
import { ensure, PretextError } from '../errors.js';
import type { MetricSum, Model, ModelBatch } from '../model/index.js';
import { Rng } from '../rng/rng.js';
import { AdamW } from './optimizer.js';
import { learningRate, type Schedule } from './schedule.js';
import { OPTIMIZER_FILE, decodeMoments, encodeMoments, type TrainerState } from './state.js';
import type { TrainTask } from './task.js';
import type { TaskRows } from './task-rows.js';

export interface TrainerInit {
  config: Readonly<Config>;
  model: Model;
  task: TrainTask;
  train: TaskRows;
  /** held-out rows; the first evalBatches * batchSize of them, masked once with splitSeed, are the fixed validation set */
  validation?: TaskRows;
}

export interface StepResult {
  /** optimizer steps done, this one included */
  step: number;
  loss: number;
  lr: number;
  /** global gradient norm before clipping */
  gradNorm: number;
  /** B * T tokens processed (padding included) */
  tokens: number;
  epoch: number;
}

/**
 * The validation figures: val_loss (the weighted sum of the loss terms' means), val_<name> for each figure the model
 * family reports (val_accuracy, val_ppl, val_pair_accuracy, ...; a loss term on its own only when there are several).
 */
export interface EvalResult {
  step: number;
  val_loss: number;
  /** what the first loss term averages over (predicted tokens, or pairs) */
  count: number;
  [figure: `val_${string}`]: number;
}

export interface TrainerSnapshot {
  state: TrainerState;
  /** the optimizer's moments, safetensors (OPTIMIZER_FILE) */
  optimizer: Uint8Array;
}

/** Warm-up and decay in steps for a config (HF: warmup steps = ceil(warmup_ratio * total)). */
export function scheduleOf(c: Readonly<Config>): Schedule {
  return { kind: c.schedule, warmupSteps: Math.ceil(c.warmupRatio * c.steps), totalSteps: c.steps };
}

export class Trainer {
  private cfg: Readonly<Config>;
  readonly model: Model;
  readonly optimizer: AdamW;
  readonly batchesPerEpoch: number;
  private readonly task: TrainTask;
  private readonly train: TaskRows;
  private readonly validationBatches: ModelBatch[] = [];
  private rng: Rng;
  private done = 0;
  private tokensSeen = 0;
  private order: { epoch: number; rows: Int32Array } | undefined;

  constructor(init: TrainerInit) {
    const c = (this.cfg = init.config);
    this.model = init.model;
    this.task = init.task;
    this.train = init.train;
    this.batchesPerEpoch = Math.floor(init.train.count / (c.batchSize * c.gradAccum));
    const perStep =
      c.gradAccum > 1 ? `--batch-size ${c.batchSize} x --grad-accum ${c.gradAccum}` : `--batch-size ${c.batchSize}`;
    const rows = `${init.train.count} row${init.train.count === 1 ? '' : 's'}`;
    ensure(
      this.batchesPerEpoch > 0,
      `the training split has ${rows}, fewer than one batch of ${perStep}; give a smaller batch or a larger corpus`,
    );
    this.optimizer = new AdamW(this.model.engine, this.model.parameters(), {
      lr: c.lr,
      betas: [c.beta1, c.beta2],
      eps: c.eps,
      weightDecay: c.weightDecay,
      maxGradNorm: c.maxGradNorm,
    });
    this.rng = Rng.of(c.seed, 0, 0, 'train.dropout');
    if (init.validation)
      this.validationBatches = fixedBatches(init.validation, c.batchSize, c.evalBatches, c.splitSeed);
  }

  /** The run's config (its steps as the last replan set them). */
  get config(): Readonly<Config> {
    return this.cfg;
  }

  /**
   * End the run at `steps` optimizer steps instead: the learning-rate schedule (warm-up and decay) is the one of a run
   * planned that long from the start (compare's wall-clock runs, when their steps turn out slower or faster).
   */
  replan(steps: number): void {
    ensure(
      Number.isInteger(steps) && steps > this.done,
      () => `replan: steps must be an integer above the ${this.done} done, got ${steps}`,
    );
    this.cfg = Object.freeze({ ...this.cfg, steps });
  }

  /** Optimizer steps done. */
  get step(): number {
    return this.done;
  }

  /** Whether there is a validation set. */
  get canEvaluate(): boolean {
    return this.validationBatches.length > 0;
  }

  /** The learning rate of the next step. */
  get lr(): number {
    return learningRate(this.done, this.config.lr, scheduleOf(this.config));
  }

  /** One optimizer step on the next batch (of batchSize x gradAccum rows). */
  trainStep(): StepResult {
    const c = this.config;
    const epoch = Math.floor(this.done / this.batchesPerEpoch);
    const k = this.done % this.batchesPerEpoch;
    const size = c.batchSize * c.gradAccum;
    const rows = this.epochOrder(epoch).subarray(k * size, (k + 1) * size);
    const lr = this.lr;
    this.model.zeroGrad();
    const { loss, tokens } =
      c.gradAccum === 1
        ? this.accumulate([this.train.batch(rows, c.seed, epoch)])
        : this.accumulate(this.microBatches(rows, epoch));
    if (!Number.isFinite(loss))
      throw new PretextError(`the loss is ${loss} at step ${this.done + 1}; try a lower --lr`);
    const { gradNorm } = this.optimizer.step(lr);
    this.done++;
    this.tokensSeen += tokens;
    return { step: this.done, loss, lr, gradNorm, tokens, epoch };
  }

  // The step's rows as gradAccum slices of batchSize rows (each row's masking keyed by its index, as in one batch).
  private microBatches(rows: Int32Array, epoch: number): ModelBatch[] {
    const B = this.config.batchSize;
    return Array.from({ length: this.config.gradAccum }, (_, i) =>
      this.train.batch(rows.subarray(i * B, (i + 1) * B), this.config.seed, epoch),
    );
  }

  // Forward and backward over the batches, gradients summed into the model's. One batch: the task's loss weights.
  // Several: each loss term of batch i weighs count_i / total (its share of the term's labelled positions or pairs),
  // so loss and gradients are those of one batch of them all; dropout draws from one stream forked per batch.
  private accumulate(batches: ModelBatch[]): { loss: number; tokens: number } {
    const step = this.rng.fork('step');
    const weights = batches.length === 1 ? [this.task.lossWeights] : this.shareWeights(batches);
    let loss = 0;
    let tokens = 0;
    batches.forEach((batch, i) => {
      const out = this.model.forward(batch, {
        rng: batches.length === 1 ? step : step.fork('micro'),
        lossWeights: weights[i],
      });
      loss += out.loss ?? 0;
      this.model.backward();
      tokens += batch.batchSize * batch.length;
    });
    return { loss, tokens };
  }

  // Loss weights of each micro-batch: the task's weight of a term times the batch's share of the term's count.
  private shareWeights(batches: ModelBatch[]): Record<string, number>[] {
    const { family, lossWeights } = this.task;
    const counts = batches.map((b) => (family.lossCounts as (batch: ModelBatch) => Record<string, number>)(b));
    const total: Record<string, number> = {};
    for (const c of counts) for (const [term, n] of Object.entries(c)) total[term] = (total[term] ?? 0) + n;
    return counts.map((c) =>
      Object.fromEntries(
        Object.entries(c).map(([term, n]) => [
          term,
          total[term] > 0 ? ((lossWeights[term] ?? 1) * n) / total[term] : 0,
        ]),
      ),
    );
  }

  /** The family's figures summed over the fixed validation batches, then averaged; no dropout, no state change. */
  evaluate(): EvalResult {
    ensure(this.canEvaluate, 'no validation rows to evaluate on');
    const { family } = this.task;
    const sums: Record<string, MetricSum> = {};
    for (const batch of this.validationBatches) {
      const out = this.model.forward(batch, family.evalOptions(batch));
      for (const [name, m] of Object.entries(family.metrics(out, batch, this.model.config))) {
        const s = (sums[name] ??= { sum: 0, count: 0, exp: m.exp });
        s.sum += m.sum;
        s.count += m.count;
      }
    }
    return summarize(sums, this.done, this.task.lossWeights);
  }

  /** Everything a bit-identical resume needs besides the weights. */
  snapshot(): TrainerSnapshot {
    const moments = this.optimizer.exportState();
    const state: TrainerState = {
      format: 'pretext-trainer-state',
      version: 1,
      step: this.done,
      epoch: Math.floor(this.done / this.batchesPerEpoch),
      batch_in_epoch: this.done % this.batchesPerEpoch,
      tokens_seen: this.tokensSeen,
      rng: this.rng.getState(),
      optimizer: { file: OPTIMIZER_FILE, step: moments.step },
    };
    return { state, optimizer: encodeMoments(moments) };
  }

  /** Continue from a snapshot (the model's weights are loaded separately). */
  restore(state: TrainerState, optimizer: Uint8Array): void {
    ensure(
      state.epoch * this.batchesPerEpoch + state.batch_in_epoch === state.step,
      `trainer state: step ${state.step} is not epoch ${state.epoch} batch ${state.batch_in_epoch} at ${this.batchesPerEpoch} batches an epoch (the data changed?)`,
    );
    this.optimizer.importState(decodeMoments(optimizer, state.optimizer.step));
    this.rng = Rng.fromState(state.rng);
    this.done = state.step;
    this.tokensSeen = state.tokens_seen;
  }

  // Row order of an epoch: a Fisher-Yates shuffle keyed by (seed, epoch), cached for the current epoch.
  private epochOrder(epoch: number): Int32Array {
    if (this.order?.epoch !== epoch) {
      const rows = new Int32Array(this.train.count);
      for (let i = 0; i < rows.length; i++) rows[i] = i;
      this.order = { epoch, rows: Rng.of(this.config.seed, epoch, 0, 'train.order').shuffle(rows) };
    }
    return this.order.rows;
  }
}

// The first n * B rows in order, as batches of B (the last may be shorter), randomness keyed by (seed, epoch 0).
function fixedBatches(rows: TaskRows, B: number, n: number, seed: number): ModelBatch[] {
  const total = Math.min(rows.count, n * B);
  const out: ModelBatch[] = [];
  for (let at = 0; at < total; at += B) {
    const indices = Int32Array.from({ length: Math.min(B, total - at) }, (_, i) => at + i);
    out.push(rows.batch(indices, seed, 0));
  }
  return out;
}

// Means of the sums (exp for perplexities); val_loss = sum of weight x mean over the loss terms (names *_loss).
function summarize(
  sums: Record<string, MetricSum>,
  step: number,
  weights: Readonly<Record<string, number>>,
): EvalResult {
  const mean = (m: MetricSum) => (m.count > 0 ? m.sum / m.count : 0);
  const losses = Object.keys(sums).filter((k) => k.endsWith('_loss'));
  let val_loss = 0;
  for (const k of losses) val_loss += (weights[k.slice(0, -5)] ?? 1) * mean(sums[k]);
  const r: EvalResult = { step, val_loss, count: losses.length ? sums[losses[0]].count : 0 };
  for (const [k, m] of Object.entries(sums))
    if (!(losses.length === 1 && k === losses[0])) r[`val_${k}`] = m.exp ? Math.exp(mean(m)) : mean(m);
  return r;
}
