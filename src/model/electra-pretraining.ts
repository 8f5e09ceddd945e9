// ELECTRA's generator and discriminator trained together (google-research/electra run_pretraining.py PretrainingModel;
// spec §6): the generator (ElectraForMaskedLM, sharing the discriminator's embeddings) predicts the drawn positions
// of the masked input; one sample per draw from softmax(logits / temperature) (temperature 1, no gradient) is scattered
// into the original ids
// (a position drawn twice keeps its last sample, or with duplicates 'average' the floor of its samples' mean, as
// ELECTRA's scatter_update: the objective's DuplicateRule); the discriminator
// (ElectraForPreTraining) labels a token 1 only where the corrupted id differs from the original.
// loss = genWeight x mean CE over draws + discWeight (50) x mean BCE over real tokens (options.lossWeights mlm / rtd
// override the two weights).
// Sampling: ELECTRA's op is Gumbel-max (sample_from_softmax), which forwardWithNoise runs on a given noise tensor
// [M, V] (the goldens); forward draws the same distribution by inverse CDF from one uniform per draw, since V
// uniforms and 2V logarithms per draw (5M of each for a tiny batch) cost more than the generator itself.
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import { Rng } from '../rng/rng.js';
import type { ElectraConfig } from './config.js';
import { ElectraModel, realTokens } from './electra.js';
import { gumbelArgmax } from './electra-heads.js';
import { checkBatch, checkLabels } from './inputs.js';
import type { BackwardOptions, ForwardOptions, Model, ModelBatch, ModelOutput, Parameter } from './model.js';

export interface ElectraPretrainingOptions {
  seed?: number;
  /** weight of the generator's MLM loss (ELECTRA gen_weight 1) */
  genWeight?: number;
  /** weight of the discriminator's BCE (ELECTRA disc_weight 50) */
  discWeight?: number;
  /** softmax temperature of the generator's samples (ELECTRA temperature 1) */
  temperature?: number;
  /** a position drawn more than once: its last sample (default), or ELECTRA's floor of their mean */
  duplicates?: DuplicateRule;
}

export type DuplicateRule = 'last' | 'average';

/** The generator's parameters appear under this prefix beside the discriminator's HF names (its own files drop it). */
export const GENERATOR_PREFIX = 'generator.';

export class ElectraPretraining implements Model {
  readonly discriminator: ElectraModel;
  readonly generator: ElectraModel;
  readonly genWeight: number;
  readonly discWeight: number;
  readonly temperature: number;
  readonly duplicates: DuplicateRule;
  private readonly list: Parameter[];
  private uniform: Float32Array = new Float32Array(0); // engine memory: one uniform per draw
  private draws: Int32Array = new Int32Array(0); // engine memory for the samples, doubled when a batch draws more (the engine heap frees nothing)
  private sampled: Int32Array = new Int32Array(0); // the last forward's samples: draws[0, M)

  constructor(
    readonly config: ElectraConfig,
    readonly generatorConfig: ElectraConfig,
    readonly engine: Engine,
    options: ElectraPretrainingOptions = {},
  ) {
    ensure(
      config.architectures[0] === 'ElectraForPreTraining' && generatorConfig.architectures[0] === 'ElectraForMaskedLM',
      'electra: the pair is an ElectraForPreTraining discriminator and an ElectraForMaskedLM generator',
    );
    for (const k of [
      'vocab_size',
      'embedding_size',
      'max_position_embeddings',
      'type_vocab_size',
      'pad_token_id',
    ] as const) {
      ensure(
        config[k] === generatorConfig[k],
        `electra: generator and discriminator share their embeddings, so ${k} must agree (${generatorConfig[k]} vs ${config[k]})`,
      );
    }
    this.genWeight = options.genWeight ?? 1;
    this.discWeight = options.discWeight ?? 50;
    this.temperature = options.temperature ?? 1;
    this.duplicates = options.duplicates ?? 'last';
    ensure(
      this.duplicates === 'last' || this.duplicates === 'average',
      `electra: duplicates must be 'last' or 'average', got ${this.duplicates}`,
    );
    ensure(
      this.temperature > 0 && this.genWeight >= 0 && this.discWeight >= 0,
      'electra: temperature must be > 0 and the loss weights >= 0',
    );
    this.discriminator = new ElectraModel(config, engine, { seed: options.seed });
    this.generator = new ElectraModel(generatorConfig, engine, {
      seed: options.seed,
      shared: this.discriminator.encoder.emb,
    });
    const shared = new Set(this.discriminator.encoder.embNames());
    const own = this.generator.parameters().filter((p) => !shared.has(p.name));
    this.list = [...this.discriminator.parameters(), ...own.map((p) => ({ ...p, name: GENERATOR_PREFIX + p.name }))];
  }

  /** Every trainable tensor once: the discriminator's HF names, then the generator's own under `generator.`. */
  parameters(): Parameter[] {
    return this.list;
  }

  /** The two HF models, saved apart: '' the discriminator (the run's model), 'generator' the generator. */
  parts(): Record<string, Model> {
    return { '': this.discriminator, generator: this.generator };
  }

  zeroGrad(): void {
    for (const p of this.list) p.grad.fill(0);
  }

  /** Samples by inverse CDF from options.rng (after the generator's dropout) in training; evaluation from a fixed stream. */
  forward(batch: ModelBatch, options: ForwardOptions = {}): ModelOutput {
    const rng = options.rng ?? Rng.fromKey({ seed: 0, purpose: 'electra.sample' });
    return this.run(batch, options, (logits, M) => {
      if (this.uniform.length < M) this.uniform = this.engine.alloc(Math.max(M, 2 * this.uniform.length));
      for (let i = 0; i < M; i++) this.uniform[i] = rng.float();
      this.engine.softmaxSample(this.sampled, logits, this.uniform, M, this.config.vocab_size, this.temperature);
    });
  }

  /** forward with the Gumbel noise given: uniform[M, V] in [0, 1), M = the batch's draws (goldens). */
  forwardWithNoise(batch: ModelBatch, uniform: Float32Array, options: ForwardOptions = {}): ModelOutput {
    const V = this.config.vocab_size;
    return this.run(batch, options, (logits, M) => {
      ensure(
        uniform.length === M * V,
        `electra: noise has ${uniform.length} values, the generator's rows need ${M * V}`,
      );
      gumbelArgmax(logits, uniform, M, V, this.temperature, this.sampled);
    });
  }

  /** The last forward's sampled ids, one per generator row. */
  samples(): Int32Array {
    return this.sampled;
  }

  // sample(logits [M, V], M) fills this.sampled.
  private run(
    batch: ModelBatch,
    options: ForwardOptions,
    sample: (logits: Float32Array, M: number) => void,
  ): ModelOutput {
    checkBatch(batch);
    ensure(batch.labels !== undefined, 'electra: pretraining needs labels (the original ids at the masked positions)');
    const labels = batch.labels;
    checkLabels(labels, this.config.vocab_size);
    const { generator: G, discriminator: D } = this;
    const N = batch.batchSize * batch.length;
    const hg = G.encode(batch, batch.input_ids, options.rng);
    const M = G.generatorRows(batch, false);
    const logits = G.generatorLogits(hg, M);
    if (this.draws.length < M) this.draws = this.engine.allocInt(Math.max(M, 2 * this.draws.length));
    this.sampled = this.draws.subarray(0, M);
    sample(logits, M);
    const lmCorrect = G.generatorCorrect(M);
    const genWeight = options.lossWeights?.mlm ?? this.genWeight;
    const discWeight = options.lossWeights?.rtd ?? this.discWeight;
    const lmLoss = G.generatorLoss(M, genWeight);
    const { corrupted, replaced } = corrupt(
      batch.input_ids,
      labels,
      G.generatorRowIds(M),
      this.sampled,
      N,
      this.duplicates,
    );
    const hd = D.encode(batch, corrupted, options.rng);
    D.discriminatorLogits(hd, N);
    const rtd = D.discriminatorLoss(replaced, realTokens(batch), N, discWeight);
    return {
      loss: genWeight * lmLoss + discWeight * rtd.loss,
      lmLoss,
      count: M,
      lmCorrect,
      rtd,
      hidden: hd.subarray(0, N * this.config.hidden_size),
    };
  }

  /** Both models' gradients; dHidden (on the discriminator's hidden states) is added to the discriminator's. */
  backward(options: BackwardOptions = {}): void {
    this.discriminator.backward(options);
    this.generator.backward();
  }
}

/**
 * The discriminator's input and labels (ELECTRA _get_fake_data): originals = labels where set, else the input ids;
 * sampled[m] written at flat position rows[m]; a position drawn k times keeps the last of its samples, or ('average')
 * floor(sum of its samples / k) (scatter_update's floordiv); replaced[n] = 1 where the result differs from the original.
 */
export function corrupt(
  inputIds: Int32Array,
  labels: Int32Array,
  rows: Int32Array,
  sampled: Int32Array,
  N: number,
  duplicates: DuplicateRule,
): { corrupted: Int32Array; replaced: Uint8Array } {
  const corrupted = Int32Array.from({ length: N }, (_, n) => (labels[n] >= 0 ? labels[n] : inputIds[n]));
  const sum = new Float64Array(N);
  const times = new Int32Array(N);
  for (let m = 0; m < rows.length; m++) {
    sum[rows[m]] = duplicates === 'average' ? sum[rows[m]] + sampled[m] : sampled[m];
    times[rows[m]] = duplicates === 'average' ? times[rows[m]] + 1 : 1;
  }
  const replaced = new Uint8Array(N);
  for (let n = 0; n < N; n++) {
    if (times[n] === 0) continue;
    const id = Math.floor(sum[n] / times[n]);
    replaced[n] = id !== corrupted[n] ? 1 : 0;
    corrupted[n] = id;
  }
  return { corrupted, replaced };
}
