// T5's three sublayers (HF T5LayerSelfAttention, T5LayerCrossAttention, T5LayerFF), forward and backward side by
// side; each is pre-norm with a residual, out = x + dropout(f(rmsnorm(x))):
//   self   f = o(attention(q, k, v of the normed x; bias + mask))        (the bias: relative positions, or null)
//   cross  f = o(attention(q of the normed x; k, v of the encoder output; mask))
//   ff     f = wo(dropout(relu(wi z)))  or  wo(dropout(gelu_new(wi_0 z) * wi_1 z))   (z = the normed x)
// No biases anywhere, no 1 / sqrt(d) scaling (T5 folds it into the init). q, k, v weights are packed [3I, C]
// (cross: q [I, C], k | v [2I, C]), wi_0 | wi_1 [2F, C]; I = H * D. Backward: d out in S.a -> dx in S.a.
import type { AttentionShape, Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import { attentionDropoutSite, attentionDropoutSiteBackward, dropoutSite, dropoutSiteBackward } from './dropout.js';
import type { Tensor } from './parameters.js';

export interface T5Dims {
  B: number;
  T: number; // this stack's length (the queries)
  C: number; // d_model
  H: number;
  D: number; // d_kv
  F: number; // d_ff
  eps: number;
  p: number; // dropout_rate, every site
  gated: boolean;
}

export interface SelfAttentionParams {
  lnW: Tensor;
  qkvW: Tensor;
  oW: Tensor;
}
export interface CrossAttentionParams {
  lnW: Tensor;
  qW: Tensor;
  kvW: Tensor;
  oW: Tensor;
}
export interface FeedForwardParams {
  lnW: Tensor;
  wiW: Tensor;
  woW: Tensor;
}

/** Backward (and forward temporary) buffers shared by every sublayer; rows = max(B*T, B*Te). */
export interface T5Scratch {
  a: Float32Array; // [rows, C]
  b: Float32Array; // [rows, C]
  c: Float32Array; // [rows, C]
  ctx: Float32Array; // [rows, I]
  qkv: Float32Array; // [rows, 3I]
  dkv: Float32Array; // [B*Te, 2I]
  dscores: Float32Array; // [B, H, T, T]
  f1: Float32Array; // [rows, F or 2F]
  f2: Float32Array; // [rows, F]
  f3: Float32Array; // [rows, F]
  dEnc: Float32Array; // [B*Te, C] the gradient on the encoder output, summed over the decoder's cross-attentions
}

export interface AttentionActs {
  norm: Float32Array; // [N, C]
  rstd: Float32Array; // [N]
  q: Float32Array; // self: qkv [N, 3I]; cross: q [N, I]
  kv: Float32Array; // self: a view of q at column I; cross: [Ne, 2I]
  probs: Float32Array; // [B, H, T, Tk]
  attnKeep: Uint8Array; // [B, H, T, Tk] (empty when p = 0)
  ctx: Float32Array; // [N, I]
  keep: Uint8Array; // [N, C]
  out: Float32Array; // [N, C]
}

export interface FeedForwardActs {
  norm: Float32Array; // [N, C]
  rstd: Float32Array; // [N]
  h: Float32Array; // [N, F] (relu) or [N, 2F] (gated)
  act: Float32Array; // [N, F]
  actKeep: Uint8Array; // [N, F]
  dropped: Float32Array; // [N, F]
  keep: Uint8Array; // [N, C]
  out: Float32Array; // [N, C]
}

export function allocScratch(e: Engine, rows: number, Ne: number, NTT: number, d: Omit<T5Dims, 'B' | 'T'>): T5Scratch {
  const I = d.H * d.D;
  const F = d.F;
  return {
    a: e.alloc(rows * d.C),
    b: e.alloc(rows * d.C),
    c: e.alloc(rows * d.C),
    ctx: e.alloc(rows * I),
    qkv: e.alloc(rows * 3 * I),
    dkv: e.alloc(Ne * 2 * I),
    dscores: e.alloc(d.H * NTT),
    f1: e.alloc(rows * (d.gated ? 2 * F : F)),
    f2: e.alloc(rows * F),
    f3: e.alloc(rows * F),
    dEnc: e.alloc(Ne * d.C),
  };
}

/** Self-attention (Tk = T) or cross-attention (Tk = Te, its own kv buffer of Ne rows) activations for N = B*T rows. */
export function allocAttentionActs(
  e: Engine,
  N: number,
  NTk: number,
  d: Omit<T5Dims, 'B' | 'T'>,
  cross: { Ne: number } | null,
): AttentionActs {
  const I = d.H * d.D;
  const q = e.alloc(N * (cross ? I : 3 * I));
  return {
    norm: e.alloc(N * d.C),
    rstd: e.alloc(N),
    q,
    kv: cross ? e.alloc(cross.Ne * 2 * I) : q.subarray(I),
    probs: e.alloc(d.H * NTk),
    attnKeep: e.allocBytes(d.p > 0 ? d.H * NTk : 0),
    ctx: e.alloc(N * I),
    keep: e.allocBytes(N * d.C),
    out: e.alloc(N * d.C),
  };
}

export function allocFeedForwardActs(e: Engine, N: number, d: Omit<T5Dims, 'B' | 'T'>): FeedForwardActs {
  return {
    norm: e.alloc(N * d.C),
    rstd: e.alloc(N),
    h: e.alloc(N * (d.gated ? 2 * d.F : d.F)),
    act: e.alloc(N * d.F),
    actKeep: e.allocBytes(N * d.F),
    dropped: e.alloc(N * d.F),
    keep: e.allocBytes(N * d.C),
    out: e.alloc(N * d.C),
  };
}

const shape = (d: T5Dims, Tk: number, ldq: number, ldkv: number): AttentionShape => ({
  B: d.B,
  Tq: d.T,
  Tk,
  H: d.H,
  D: d.D,
  ldq,
  ldkv,
  scale: 1,
});

/** A.out[N, C] from x[N, C]; bias[H, T, T] (or null), mask[B, T, T] additive (or null); rng given = training. */
export function selfAttentionForward(
  e: Engine,
  P: SelfAttentionParams,
  A: AttentionActs,
  S: T5Scratch,
  x: Float32Array,
  bias: Float32Array | null,
  mask: Float32Array | null,
  d: T5Dims,
  rng: Rng | undefined,
): void {
  const { B, T, C, H, D, eps, p } = d;
  const N = B * T;
  const I = H * D;
  e.rmsNormForward(A.norm, A.rstd, x, P.lnW.data, N, C, eps);
  e.linearForward(A.q, A.norm, P.qkvW.data, null, N, C, 3 * I);
  e.biasedAttentionForward(
    A.ctx,
    A.probs,
    A.q,
    A.kv,
    bias,
    mask,
    shape(d, T, 3 * I, 3 * I),
    attentionDropoutSite(A.attnKeep, B * H * T * T, p, rng),
  );
  e.linearForward(S.a, A.ctx, P.oW.data, null, N, I, C);
  e.add(A.out, x, dropoutSite(e, S.b, A.keep, S.a, N * C, p, rng), N * C);
}

/** dout in S.a -> dx in S.a; the relative bias's table [buckets, H] gets its gradient when this layer used it. */
export function selfAttentionBackward(
  e: Engine,
  P: SelfAttentionParams,
  A: AttentionActs,
  S: T5Scratch,
  x: Float32Array,
  d: T5Dims,
  training: boolean,
  bias: { table: Tensor; buckets: Int32Array } | null,
): void {
  const { B, T, C, H, D, p } = d;
  const N = B * T;
  const I = H * D;
  const dh = dropoutSiteBackward(e, S.b, S.a, A.keep, N * C, p, training);
  e.linearBackward(S.ctx, P.oW.grad, null, dh, A.ctx, P.oW.data, N, I, C, false); // S.ctx = dctx
  const dscores = bias ? S.dscores : null;
  e.biasedAttentionBackward(
    S.qkv,
    S.qkv.subarray(I),
    dscores,
    S.ctx,
    A.q,
    A.kv,
    A.probs,
    shape(d, T, 3 * I, 3 * I),
    attentionDropoutSiteBackward(A.attnKeep, p, training),
  );
  if (bias) e.relativeBiasBackward(bias.table.grad, S.dscores, bias.buckets, B, T, T, H);
  e.linearBackward(S.c, P.qkvW.grad, null, S.qkv, A.norm, P.qkvW.data, N, C, 3 * I, false); // S.c = dnorm
  e.rmsNormBackward(S.a, P.lnW.grad, S.c, x, A.rstd, P.lnW.data, N, C, true);
}

/** A.out[N, C] from x[N, C] attending over enc[B*Te, C]; mask[B, T, Te] additive (or null). */
export function crossAttentionForward(
  e: Engine,
  P: CrossAttentionParams,
  A: AttentionActs,
  S: T5Scratch,
  x: Float32Array,
  enc: Float32Array,
  Te: number,
  mask: Float32Array | null,
  d: T5Dims,
  rng: Rng | undefined,
): void {
  const { B, T, C, H, D, eps, p } = d;
  const N = B * T;
  const I = H * D;
  e.rmsNormForward(A.norm, A.rstd, x, P.lnW.data, N, C, eps);
  e.linearForward(A.q, A.norm, P.qW.data, null, N, C, I);
  e.linearForward(A.kv, enc, P.kvW.data, null, B * Te, C, 2 * I);
  e.biasedAttentionForward(
    A.ctx,
    A.probs,
    A.q,
    A.kv,
    null,
    mask,
    shape(d, Te, I, 2 * I),
    attentionDropoutSite(A.attnKeep, B * H * T * Te, p, rng),
  );
  e.linearForward(S.a, A.ctx, P.oW.data, null, N, I, C);
  e.add(A.out, x, dropoutSite(e, S.b, A.keep, S.a, N * C, p, rng), N * C);
}

/** dout in S.a -> dx in S.a; the encoder output's gradient accumulates in S.dEnc. */
export function crossAttentionBackward(
  e: Engine,
  P: CrossAttentionParams,
  A: AttentionActs,
  S: T5Scratch,
  x: Float32Array,
  enc: Float32Array,
  Te: number,
  d: T5Dims,
  training: boolean,
): void {
  const { B, T, C, H, D, p } = d;
  const N = B * T;
  const I = H * D;
  const dh = dropoutSiteBackward(e, S.b, S.a, A.keep, N * C, p, training);
  e.linearBackward(S.ctx, P.oW.grad, null, dh, A.ctx, P.oW.data, N, I, C, false);
  e.biasedAttentionBackward(
    S.qkv,
    S.dkv,
    null,
    S.ctx,
    A.q,
    A.kv,
    A.probs,
    shape(d, Te, I, 2 * I),
    attentionDropoutSiteBackward(A.attnKeep, p, training),
  );
  e.linearBackward(S.dEnc, P.kvW.grad, null, S.dkv, enc, P.kvW.data, B * Te, C, 2 * I, true);
  e.linearBackward(S.c, P.qW.grad, null, S.qkv, A.norm, P.qW.data, N, C, I, false);
  e.rmsNormBackward(S.a, P.lnW.grad, S.c, x, A.rstd, P.lnW.data, N, C, true);
}

/** A.out[N, C] from x[N, C]: the dense ReLU or gated-GELU FFN. */
export function feedForwardForward(
  e: Engine,
  P: FeedForwardParams,
  A: FeedForwardActs,
  S: T5Scratch,
  x: Float32Array,
  d: T5Dims,
  rng: Rng | undefined,
): void {
  const { B, T, C, F, eps, p, gated } = d;
  const N = B * T;
  e.rmsNormForward(A.norm, A.rstd, x, P.lnW.data, N, C, eps);
  e.linearForward(A.h, A.norm, P.wiW.data, null, N, C, gated ? 2 * F : F);
  if (gated) e.gatedGeluForward(A.act, A.h, N, F);
  else e.reluForward(A.act, A.h, N * F);
  const dropped = dropoutSite(e, A.dropped, A.actKeep, A.act, N * F, p, rng);
  e.linearForward(S.a, dropped, P.woW.data, null, N, F, C);
  e.add(A.out, x, dropoutSite(e, S.b, A.keep, S.a, N * C, p, rng), N * C);
}

/** dout in S.a -> dx in S.a. */
export function feedForwardBackward(
  e: Engine,
  P: FeedForwardParams,
  A: FeedForwardActs,
  S: T5Scratch,
  x: Float32Array,
  d: T5Dims,
  training: boolean,
): void {
  const { B, T, C, F, p, gated } = d;
  const N = B * T;
  const dh = dropoutSiteBackward(e, S.b, S.a, A.keep, N * C, p, training);
  const dropped = training && p > 0 ? A.dropped : A.act;
  e.linearBackward(S.f2, P.woW.grad, null, dh, dropped, P.woW.data, N, F, C, false); // S.f2 = d dropped
  const dact = dropoutSiteBackward(e, S.f3, S.f2, A.actKeep, N * F, p, training);
  if (gated) e.gatedGeluBackward(S.f1, dact, A.h, N, F);
  else e.reluBackward(S.f1, dact, A.act, N * F, false);
  e.linearBackward(S.c, P.wiW.grad, null, S.f1, A.norm, P.wiW.data, N, C, gated ? 2 * F : F, false); // S.c = dnorm
  e.rmsNormBackward(S.a, P.lnW.grad, S.c, x, A.rstd, P.lnW.data, N, C, true);
}
