// T5 as HF T5ForConditionalGeneration (modeling_t5.py): shared embeddings, an encoder stack over input_ids with
// its padding mask, a decoder stack over decoder_input_ids (default: labels shifted right) with cross-attention to
// the encoder output, and lm_head (tied to shared.weight with the decoder output scaled by d_model^-0.5, or its
// own lm_head.weight). Loss: mean cross-entropy over labels != -100.
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import type { Rng } from '../rng/rng.js';
import type { T5Config } from './config.js';
import { checkBatch, checkLabels, copyIds, fillAttentionMask, MASK_MIN } from './inputs.js';
import type { BackwardOptions, ForwardOptions, Model, ModelBatch, ModelOutput, Parameter } from './model.js';
import { ParameterSet, type Tensor } from './parameters.js';
import { allocScratch, type T5Dims, type T5Scratch } from './t5-layer.js';
import { fillBuckets } from './t5-position.js';
import {
  addStackParams,
  allocStackActs,
  stackBackward,
  stackForward,
  type CrossContext,
  type StackPass,
  type T5StackActs,
  type T5StackParams,
} from './t5-stack.js';

interface Workspace {
  B: number; // capacity in sequences
  Te: number; // capacity in encoder positions
  Td: number; // capacity in decoder positions
  enc: T5StackActs;
  dec: T5StackActs;
  crossMask: Float32Array; // [B, Td, Te]
  S: T5Scratch;
  headIn: Float32Array; // [Nd, C] the decoder output, scaled by d_model^-0.5 when tied
  logits: Float32Array; // [Nd, V], then dlogits
  targets: Int32Array; // [Nd]
  logitsCopy?: Float32Array;
  bucketsFor: { Te: number; Td: number }; // the lengths ws.enc / ws.dec buckets were filled for
}

interface Pass {
  enc: StackPass;
  dec: StackPass;
  encDims: T5Dims;
  decDims: T5Dims;
  cross: CrossContext;
  training: boolean;
  withLoss: boolean;
}

/** HF _shift_right: [B*Td] labels -> decoder inputs starting with `start`, -100 replaced by `pad`. */
export function shiftRight(labels: Int32Array, B: number, Td: number, start: number, pad: number): Int32Array {
  const out = new Int32Array(B * Td);
  for (let b = 0; b < B; b++) {
    out[b * Td] = start;
    for (let t = 1; t < Td; t++) {
      const v = labels[b * Td + t - 1];
      out[b * Td + t] = v === -100 ? pad : v;
    }
  }
  return out;
}

export class T5Model implements Model {
  private readonly params: ParameterSet;
  private readonly shared: Tensor; // [V, C]
  private readonly lmHead: Tensor; // [V, C]: shared when tied
  private readonly encoder: T5StackParams;
  private readonly decoder: T5StackParams;
  private ws?: Workspace;
  private pass?: Pass;

  /** A new model, initialised as HF T5PreTrainedModel._init_weights from `seed`. */
  constructor(
    readonly config: T5Config,
    readonly engine: Engine,
    options: { seed?: number } = {},
  ) {
    const { vocab_size: V, d_model: C, initializer_factor: f } = config;
    const ps = (this.params = new ParameterSet(engine, f));
    this.shared = ps.add('shared.weight', [V, C], 'embedding');
    this.encoder = addStackParams(ps, config, false);
    this.decoder = addStackParams(ps, config, true);
    this.lmHead = config.tie_word_embeddings ? this.shared : ps.add('lm_head.weight', [V, C], 'weight');
    ps.init(options.seed ?? 0);
    if (f !== 1) for (const p of ps.list) if (p.name.endsWith('layer_norm.weight')) p.data.fill(f);
  }

  parameters(): Parameter[] {
    return this.params.list;
  }

  /** The tensors an incremental decoder reads (t5-generate.ts). */
  get weights(): { shared: Tensor; lmHead: Tensor; encoder: T5StackParams; decoder: T5StackParams } {
    return { shared: this.shared, lmHead: this.lmHead, encoder: this.encoder, decoder: this.decoder };
  }

  /** The encoder's output [B*T, C] in eval mode (no dropout): a view valid until the next forward or encode. */
  encode(batch: Pick<ModelBatch, 'batchSize' | 'length' | 'input_ids' | 'attention_mask'>): Float32Array {
    const { batchSize: B, length: Te } = batch;
    checkBatch({ ...batch });
    ensure(
      batch.attention_mask === undefined || batch.attention_mask.length === B * Te,
      'batch: T5 takes a padding attention_mask [B*T], not a dense one',
    );
    const ws = this.workspace(B, Te, this.ws?.Td ?? 1);
    this.fillBuckets(ws, Te, ws.bucketsFor.Td);
    this.pass = undefined;
    return this.embedAndRun(
      this.encoder,
      ws.enc,
      ws,
      this.dims(B, Te),
      batch.input_ids,
      { ...batch },
      false,
      null,
      undefined,
    ).out;
  }

  zeroGrad(): void {
    this.params.zeroGrad();
  }

  forward(batch: ModelBatch, options: ForwardOptions = {}): ModelOutput {
    checkBatch(batch);
    const c = this.config;
    const { batchSize: B, length: Te, labels } = batch;
    const Td = batch.decoderLength;
    ensure(
      Td !== undefined && (batch.decoder_input_ids !== undefined || labels !== undefined),
      'batch: T5 needs decoderLength and decoder_input_ids or labels',
    );
    ensure(
      batch.attention_mask === undefined || batch.attention_mask.length === B * Te,
      'batch: T5 takes a padding attention_mask [B*T], not a dense one',
    );
    if (labels !== undefined) checkLabels(labels, c.vocab_size);
    const ws = this.workspace(B, Te, Td);
    const decoderIds =
      batch.decoder_input_ids ?? shiftRight(labels as Int32Array, B, Td, c.decoder_start_token_id, c.pad_token_id);
    const rng = options.rng;
    const encDims = this.dims(B, Te);
    const decDims = this.dims(B, Td);
    this.fillBuckets(ws, Te, Td);
    const enc = this.embedAndRun(
      this.encoder,
      ws.enc,
      ws,
      encDims,
      batch.input_ids,
      { batchSize: B, length: Te, input_ids: batch.input_ids, attention_mask: batch.attention_mask },
      false,
      null,
      rng,
    );
    const cross: CrossContext = {
      enc: enc.out,
      Te,
      mask: fillCrossMask(ws.crossMask, batch.attention_mask, B, Td, Te) ? ws.crossMask : null,
    };
    const decBatch: ModelBatch = {
      batchSize: B,
      length: Td,
      input_ids: decoderIds,
      attention_mask: batch.decoder_attention_mask,
    };
    const dec = this.embedAndRun(this.decoder, ws.dec, ws, decDims, decoderIds, decBatch, true, cross, rng);
    const out: ModelOutput = {
      loss: undefined,
      lmLoss: undefined,
      count: 0,
      hidden: dec.out.subarray(0, B * Td * c.d_model),
    };
    if (labels !== undefined || options.logits)
      this.head(ws, dec.out, B * Td, labels, options.logits ?? false, options.lossWeights?.lm ?? 1, out);
    this.pass = {
      enc,
      dec,
      encDims,
      decDims,
      cross,
      training: rng !== undefined,
      withLoss: labels !== undefined && out.count > 0,
    };
    return out;
  }

  // Embed `ids` into the stack's acts, build its self-attention mask (causal for the decoder), run it.
  private embedAndRun(
    P: T5StackParams,
    A: T5StackActs,
    ws: Workspace,
    d: T5Dims,
    ids: Int32Array,
    maskBatch: ModelBatch,
    causal: boolean,
    cross: CrossContext | null,
    rng: Rng | undefined,
  ): StackPass & { out: Float32Array } {
    const N = d.B * d.T;
    copyIds(A.ids, ids, N, this.config.vocab_size, causal ? 'decoder input id' : 'input id');
    this.engine.embeddingForward(A.emb, this.shared.data, A.ids, N, d.C, false);
    const masked = fillAttentionMask(A.mask, maskBatch, causal) || causal;
    return stackForward(this.engine, P, A, ws.S, d, masked ? A.mask : null, cross, rng);
  }

  // logits[Nd, V] = headIn . W^T, headIn = decoder output (* d_model^-0.5 when tied); the loss, times
  // `weight` (lossWeights.lm), into `out`.
  private head(
    ws: Workspace,
    decOut: Float32Array,
    Nd: number,
    labels: Int32Array | undefined,
    wantLogits: boolean,
    weight: number,
    out: ModelOutput,
  ): void {
    const { d_model: C, vocab_size: V } = this.config;
    const e = this.engine;
    ws.headIn.set(decOut.subarray(0, Nd * C));
    if (this.config.tie_word_embeddings) e.scale(ws.headIn, Nd * C, C ** -0.5);
    e.linearForward(ws.logits, ws.headIn, this.lmHead.data, null, Nd, C, V);
    if (wantLogits) {
      ws.logitsCopy ??= e.alloc(ws.B * ws.Td * V);
      ws.logitsCopy.set(ws.logits.subarray(0, Nd * V));
      out.logits = ws.logitsCopy.subarray(0, Nd * V);
    }
    if (labels === undefined) return;
    let count = 0;
    for (let i = 0; i < Nd; i++) {
      ws.targets[i] = labels[i];
      if (labels[i] !== -100) count++;
    }
    out.count = count;
    out.lmLoss = count > 0 ? e.crossEntropy(ws.logits, ws.targets, Nd, V, weight / count) / count : 0;
    out.loss = weight * out.lmLoss;
  }

  backward(options: BackwardOptions = {}): void {
    const pass = this.pass;
    const ws = this.ws;
    ensure(pass && ws, 'model.backward() needs a forward() first');
    const e = this.engine;
    const { d_model: C, vocab_size: V } = this.config;
    const S = ws.S;
    const Nd = pass.decDims.B * pass.decDims.T;
    const Ne = pass.encDims.B * pass.encDims.T;
    if (pass.withLoss) {
      e.linearBackward(S.c, this.lmHead.grad, null, ws.logits, ws.headIn, this.lmHead.data, Nd, C, V, false);
      if (this.config.tie_word_embeddings) e.scale(S.c, Nd * C, C ** -0.5);
    } else S.c.fill(0, 0, Nd * C);
    if (options.dHidden) e.add(S.c, S.c, options.dHidden, Nd * C);
    S.dEnc.fill(0, 0, Ne * C);
    const dDecEmb = stackBackward(e, this.decoder, ws.dec, S, pass.decDims, pass.dec, S.c, pass.cross, pass.training);
    e.embeddingBackward(this.shared.grad, dDecEmb, ws.dec.ids, Nd, C);
    const dEncEmb = stackBackward(e, this.encoder, ws.enc, S, pass.encDims, pass.enc, S.dEnc, null, pass.training);
    e.embeddingBackward(this.shared.grad, dEncEmb, ws.enc.ids, Ne, C);
  }

  private dims(B: number, T: number): T5Dims {
    const c = this.config;
    return {
      B,
      T,
      C: c.d_model,
      H: c.num_heads,
      D: c.d_kv,
      F: c.d_ff,
      eps: c.layer_norm_epsilon,
      p: c.dropout_rate,
      gated: c.feed_forward_proj === 'gated-gelu',
    };
  }

  // Relative position buckets for the encoder (bidirectional) and decoder (causal), refilled when a length changes.
  private fillBuckets(ws: Workspace, Te: number, Td: number): void {
    const { relative_attention_num_buckets: nb, relative_attention_max_distance: md } = this.config;
    if (ws.bucketsFor.Te !== Te) fillBuckets(ws.enc.buckets, Te, Te, true, nb, md);
    if (ws.bucketsFor.Td !== Td) fillBuckets(ws.dec.buckets, Td, Td, false, nb, md);
    ws.bucketsFor = { Te, Td };
  }

  // Activations sized for at least (B, Te, Td); grown (never shrunk) when a batch needs more.
  private workspace(B: number, Te: number, Td: number): Workspace {
    const ws = this.ws;
    if (ws && B <= ws.B && Te <= ws.Te && Td <= ws.Td) return ws;
    const cap = { B: Math.max(B, ws?.B ?? 0), Te: Math.max(Te, ws?.Te ?? 0), Td: Math.max(Td, ws?.Td ?? 0) };
    const e = this.engine;
    const c = this.config;
    const d = this.dims(0, 0);
    const [Ne, Nd] = [cap.B * cap.Te, cap.B * cap.Td];
    this.ws = {
      ...cap,
      enc: allocStackActs(e, this.encoder, Ne, cap.Te, Ne * cap.Te, d, null),
      dec: allocStackActs(e, this.decoder, Nd, cap.Td, Nd * cap.Td, d, { Ne, NTe: Nd * cap.Te }),
      crossMask: e.alloc(Nd * cap.Te),
      S: allocScratch(e, Math.max(Ne, Nd), Ne, Math.max(Ne * cap.Te, Nd * cap.Td, Nd * cap.Te), d),
      headIn: e.alloc(Nd * c.d_model),
      logits: e.alloc(Nd * c.vocab_size),
      targets: e.allocInt(Nd),
      bucketsFor: { Te: 0, Td: 0 },
    };
    this.pass = undefined;
    return this.ws;
  }
}

/** mask[B, Td, Te] = 0 where the encoder position is real, MASK_MIN where padding; false when nothing is blocked. */
function fillCrossMask(
  mask: Float32Array,
  encMask: Uint8Array | undefined,
  B: number,
  Td: number,
  Te: number,
): boolean {
  if (encMask === undefined) return false;
  let blocked = false;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Td; i++) {
      for (let j = 0; j < Te; j++) {
        const ok = encMask[b * Te + j] !== 0;
        mask[(b * Td + i) * Te + j] = ok ? 0 : MASK_MIN;
        if (!ok) blocked = true;
      }
    }
  }
  return blocked;
}
