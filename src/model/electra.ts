// ELECTRA as HF ElectraForMaskedLM (the generator) or ElectraForPreTraining (the discriminator), modeling_electra.py:
// ElectraEncoder + one head. The generator predicts labelled positions (or ELECTRA's drawn positions, duplicates
// counted, when the batch has masked_positions); the discriminator gives one logit per token, its loss the mean
// sigmoid BCE over real tokens with labels in {0, 1}. ElectraPretraining (electra-pretraining.ts) trains the two.
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import type { Rng } from '../rng/rng.js';
import type { EmbeddingParams } from './bert-heads.js';
import type { ElectraConfig } from './config.js';
import { ElectraEncoder } from './electra-encoder.js';
import {
  allocDiscriminatorHeadActs,
  allocGeneratorHeadActs,
  bceWithLogits,
  discriminatorHeadBackward,
  discriminatorHeadForward,
  generatorHeadBackward,
  generatorHeadForward,
  type DiscriminatorHeadActs,
  type DiscriminatorHeadParams,
  type GeneratorHeadActs,
  type GeneratorHeadParams,
} from './electra-heads.js';
import { checkBatch, checkLabels, copyIds } from './inputs.js';
import type { BackwardOptions, ForwardOptions, Model, ModelBatch, ModelOutput, Parameter } from './model.js';
import { ParameterSet } from './parameters.js';

interface Pass {
  N: number; // B*T
  hidden: Float32Array; // [N, H] the encoder's output
  M: number; // generator rows (0 for the discriminator)
  lm: boolean; // the generator's loss ran (dlogits in genActs.logits)
  rtd: boolean; // the discriminator's loss ran (dlogits in discActs.dlogits)
}

export class ElectraModel implements Model {
  readonly encoder: ElectraEncoder;
  private readonly params: ParameterSet;
  private readonly gen?: GeneratorHeadParams;
  private readonly disc?: DiscriminatorHeadParams;
  private genActs?: GeneratorHeadActs;
  private genRows = 0;
  private discActs?: DiscriminatorHeadActs;
  private discRows = 0;
  private logitsCopy?: Float32Array;
  private pass?: Pass;

  /** A new model, initialised as HF _init_weights from `seed`; `shared` embeddings are another ELECTRA's tensors. */
  constructor(
    readonly config: ElectraConfig,
    readonly engine: Engine,
    options: { seed?: number; shared?: EmbeddingParams } = {},
  ) {
    const { vocab_size: V, embedding_size: E, hidden_size: H } = config;
    const ps = (this.params = new ParameterSet(engine, config.initializer_range));
    this.encoder = new ElectraEncoder(config, engine, ps, 'electra.', options.shared);
    if (config.architectures[0] === 'ElectraForMaskedLM') {
      this.gen = {
        denseW: ps.add('generator_predictions.dense.weight', [E, H], 'weight'),
        denseB: ps.add('generator_predictions.dense.bias', [E], 'bias'),
        lnW: ps.add('generator_predictions.LayerNorm.weight', [E], 'norm'),
        lnB: ps.add('generator_predictions.LayerNorm.bias', [E], 'bias'),
        bias: ps.add('generator_lm_head.bias', [V], 'bias'),
        decoderW: this.encoder.emb.word,
      };
    } else {
      this.disc = {
        denseW: ps.add('discriminator_predictions.dense.weight', [H, H], 'weight'),
        denseB: ps.add('discriminator_predictions.dense.bias', [H], 'bias'),
        predW: ps.add('discriminator_predictions.dense_prediction.weight', [1, H], 'weight'),
        predB: ps.add('discriminator_predictions.dense_prediction.bias', [1], 'bias'),
      };
    }
    ps.init(options.seed ?? 0);
    this.encoder.zeroPadRow();
  }

  parameters(): Parameter[] {
    return this.params.list;
  }

  zeroGrad(): void {
    this.params.zeroGrad();
  }

  /** The generator's masked-LM loss, or the discriminator's BCE against labels in {0, 1} at real tokens. */
  forward(batch: ModelBatch, options: ForwardOptions = {}): ModelOutput {
    checkBatch(batch);
    const hidden = this.encode(batch, batch.input_ids, options.rng);
    const N = batch.batchSize * batch.length;
    const out: ModelOutput = {
      loss: undefined,
      lmLoss: undefined,
      count: 0,
      hidden: hidden.subarray(0, N * this.config.hidden_size),
    };
    if (this.gen) this.forwardGenerator(batch, hidden, options, out);
    else this.forwardDiscriminator(batch, hidden, options, out);
    return out;
  }

  private forwardGenerator(batch: ModelBatch, hidden: Float32Array, options: ForwardOptions, out: ModelOutput): void {
    const V = this.config.vocab_size;
    if (batch.labels === undefined && !options.logits) return;
    if (batch.labels !== undefined) checkLabels(batch.labels, V);
    const M = this.generatorRows(batch, batch.labels === undefined); // labelled rows, or all when only logits are asked for
    this.generatorLogits(hidden, M);
    const A = this.genActs as GeneratorHeadActs;
    if (options.logits && M > 0) {
      if (!this.logitsCopy || this.logitsCopy.length < M * V) this.logitsCopy = this.engine.alloc(this.genRows * V);
      this.logitsCopy.set(A.logits.subarray(0, M * V));
      out.logits = this.logitsCopy.subarray(0, M * V);
      out.logitRows = A.rows.subarray(0, M);
    }
    if (batch.labels === undefined) return;
    out.lmCorrect = this.generatorCorrect(M);
    out.lmLoss = this.generatorLoss(M, 1);
    out.loss = out.lmLoss;
    out.count = M;
  }

  private forwardDiscriminator(
    batch: ModelBatch,
    hidden: Float32Array,
    options: ForwardOptions,
    out: ModelOutput,
  ): void {
    const N = batch.batchSize * batch.length;
    const logits = this.discriminatorLogits(hidden, N);
    if (options.logits) {
      out.logits = logits.slice(0, N);
      out.logitRows = Int32Array.from({ length: N }, (_, n) => n);
    }
    if (batch.labels === undefined) return;
    const real = realTokens(batch);
    for (let n = 0; n < N; n++)
      ensure(
        (real && !real[n]) || batch.labels[n] === 0 || batch.labels[n] === 1,
        () => `batch: discriminator label ${batch.labels?.[n]} at ${n} is not 0 or 1`,
      );
    out.rtd = this.discriminatorLoss(batch.labels, real, N, 1);
    out.loss = out.rtd.loss;
  }

  // ---- the pieces ElectraPretraining runs in its own order ----

  /** hidden[N, H] for `ids` [B*T] with the batch's types, positions and mask. */
  encode(batch: ModelBatch, ids: Int32Array, rng: Rng | undefined): Float32Array {
    const { batchSize: B, length: T } = batch;
    const mask = this.encoder.inputs(batch);
    copyIds(this.encoder.acts(B, T).emb.ids, ids, B * T, this.config.vocab_size, 'input id');
    const hidden = this.encoder.forward(B, T, mask, rng);
    this.pass = { N: B * T, hidden, M: 0, lm: false, rtd: false };
    return hidden;
  }

  /** Fill the generator's rows and targets: masked_positions' draws, else labelled positions (every position with `all`, targets -100). Returns M. */
  generatorRows(batch: ModelBatch, all: boolean): number {
    const { batchSize: B, length: T } = batch;
    const { labels, masked_positions: drawn } = batch;
    const N = B * T;
    const P = drawn ? drawn.length / B : 0;
    ensure(
      !drawn || (Number.isInteger(P) && labels !== undefined),
      'batch: masked_positions needs labels and B rows of equal length',
    );
    const M = generatorDraws(batch, all);
    const A = this.generatorActs(M);
    let m = 0;
    for (let b = 0; b < B && drawn; b++) {
      for (let k = 0; k < P; k++) {
        const t = drawn[b * P + k];
        if (t < 0) continue;
        ensure(
          t < T && (labels as Int32Array)[b * T + t] >= 0,
          () => `batch: masked position ${t} of row ${b} is outside the row or has no label`,
        );
        A.rows[m] = b * T + t;
        A.targets[m++] = (labels as Int32Array)[b * T + t];
      }
    }
    for (let n = 0; n < N && !drawn; n++) {
      if (labels && !all && labels[n] === -100) continue;
      A.rows[m] = n;
      A.targets[m++] = labels ? labels[n] : -100;
    }
    return M;
  }

  /** The flat positions b*T+t of the generator's M rows. */
  generatorRowIds(M: number): Int32Array {
    return (this.genActs as GeneratorHeadActs).rows.subarray(0, M);
  }

  /** The generator's logits [M, V] at its rows (live until generatorLoss overwrites them with their gradient). */
  generatorLogits(hidden: Float32Array, M: number): Float32Array {
    const { vocab_size: V, embedding_size: E, hidden_size: H, layer_norm_eps: eps } = this.config;
    const A = this.genActs as GeneratorHeadActs;
    if (M > 0) generatorHeadForward(this.engine, this.gen as GeneratorHeadParams, A, hidden, M, H, E, V, eps);
    return A.logits.subarray(0, M * V);
  }

  /** Rows whose argmax equals the target (first index on ties). */
  generatorCorrect(M: number): number {
    const V = this.config.vocab_size;
    const A = this.genActs as GeneratorHeadActs;
    let n = 0;
    for (let m = 0; m < M; m++) {
      let best = 0;
      for (let v = 1; v < V; v++) if (A.logits[m * V + v] > A.logits[m * V + best]) best = v;
      if (best === A.targets[m]) n++;
    }
    return n;
  }

  /** Mean cross-entropy over the M rows; their logits become dlogits x weight / M. */
  generatorLoss(M: number, weight: number): number {
    const A = this.genActs as GeneratorHeadActs;
    const loss = M > 0 ? this.engine.crossEntropy(A.logits, A.targets, M, this.config.vocab_size, weight / M) / M : 0;
    const pass = this.pass as Pass;
    pass.M = M;
    pass.lm = M > 0;
    return loss;
  }

  /** The discriminator's logits [N]. */
  discriminatorLogits(hidden: Float32Array, N: number): Float32Array {
    const H = this.config.hidden_size;
    if (!this.discActs || this.discRows < N) {
      this.discRows = Math.max(N, this.discRows);
      this.discActs = allocDiscriminatorHeadActs(this.engine, this.discRows, H);
    }
    discriminatorHeadForward(this.engine, this.disc as DiscriminatorHeadParams, this.discActs, hidden, N, H);
    return this.discActs.logits.subarray(0, N);
  }

  /** Mean BCE at real tokens; dlogits x weight. Returns the loss and the real tokens' logits and labels. */
  discriminatorLoss(
    labels: ArrayLike<number>,
    real: Uint8Array | undefined,
    N: number,
    weight: number,
  ): { loss: number; logits: Float32Array; labels: Uint8Array } {
    const A = this.discActs as DiscriminatorHeadActs;
    const { loss, count } = bceWithLogits(A.logits, labels, real, N, weight, A.dlogits);
    const logits = new Float32Array(count);
    const picked = new Uint8Array(count);
    for (let n = 0, r = 0; n < N; n++) {
      if (real && real[n] === 0) continue;
      logits[r] = A.logits[n];
      picked[r++] = labels[n];
    }
    (this.pass as Pass).rtd = true;
    return { loss, logits, labels: picked };
  }

  backward(options: BackwardOptions = {}): void {
    const pass = this.pass;
    ensure(pass, 'model.backward() needs a forward() first');
    const e = this.engine;
    const S = this.encoder.scratch();
    const H = this.config.hidden_size;
    const NH = pass.N * H;
    if (pass.rtd)
      discriminatorHeadBackward(
        e,
        this.disc as DiscriminatorHeadParams,
        this.discActs as DiscriminatorHeadActs,
        S.a,
        pass.hidden,
        pass.N,
        H,
      );
    else S.a.fill(0, 0, NH);
    if (pass.lm)
      generatorHeadBackward(
        e,
        this.gen as GeneratorHeadParams,
        this.genActs as GeneratorHeadActs,
        S.a,
        pass.M,
        H,
        this.config.embedding_size,
        this.config.vocab_size,
      );
    if (options.dHidden) e.add(S.a, S.a, options.dHidden, NH);
    this.encoder.backward();
  }

  // Generator head activations for M rows, grown with half again as headroom.
  private generatorActs(M: number): GeneratorHeadActs {
    if (this.genActs && M <= this.genRows) return this.genActs;
    const { vocab_size: V, embedding_size: E, hidden_size: H } = this.config;
    this.genRows = Math.max(1, Math.ceil(1.5 * M));
    this.genActs = allocGeneratorHeadActs(this.engine, this.genRows, H, E, V);
    this.logitsCopy = undefined;
    return this.genActs;
  }
}

/** [B*T] 1 at real tokens from a padding mask (a dense [B, T, T] mask or none: every token). */
/** The generator's rows of a batch: masked_positions' draws, else its labelled positions (every position with `all`). */
export function generatorDraws(batch: ModelBatch, all: boolean): number {
  const { labels, masked_positions: drawn } = batch;
  const N = batch.batchSize * batch.length;
  let M = 0;
  if (drawn) for (let i = 0; i < drawn.length; i++) M += drawn[i] >= 0 ? 1 : 0;
  else if (labels && !all) for (let n = 0; n < N; n++) M += labels[n] !== -100 ? 1 : 0;
  else M = N;
  return M;
}

/** The positions the discriminator's BCE averages over: the attention mask, or every position (undefined). */
export function realTokenCount(batch: ModelBatch): number {
  const real = realTokens(batch);
  if (!real) return batch.batchSize * batch.length;
  let n = 0;
  for (let i = 0; i < real.length; i++) n += real[i];
  return n;
}

export function realTokens(batch: ModelBatch): Uint8Array | undefined {
  const m = batch.attention_mask;
  return m !== undefined && m.length === batch.batchSize * batch.length ? m : undefined;
}
