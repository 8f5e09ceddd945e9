// One post-LN BERT encoder layer (HF BertLayer), forward and backward side by side:
//   qkv = x Wqkv^T + b                      (query/key/value packed as rows of one [3C, C])
//   ctx = dropout(softmax(q k^T / sqrt(hs) + mask)) v per head   (BertSelfAttention)
//   ln1 = LayerNorm(dropout(ctx Wo^T + bo) + x)              (BertSelfOutput)
//   out = LayerNorm(dropout(gelu(ln1 Wi^T + bi) Wd^T + bd) + ln1)   (BertIntermediate, BertOutput)
// Everything after the attention kernel is row-wise, so a layer whose output is read only at some rows (the last
// one, under an MLM loss) can run that part on the gathered rows alone: the sparse forward / backward below. They
// and the dense ones drive either kind of layer (EncoderLayerKind): this post-LN one, or the pre-LN one of
// bert-preln-layer.ts, which shares the parameters and the attention.
import type { AttentionShape, Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import { attentionDropoutSite, attentionDropoutSiteBackward, dropoutSite, dropoutSiteBackward } from './dropout.js';
import type { Tensor } from './parameters.js';
import { relativeKeyBackward, relativeKeyForward, type RelativeKeyScratch } from './relative-key.js';
import type { LayerDims, Scratch } from './scratch.js';

/** post-LN: ln1 = attention.output.LayerNorm, ln2 = output.LayerNorm; pre-LN: attention.LayerNorm, intermediate.LayerNorm. */
export interface BertLayerParams {
  qkvW: Tensor; // [3C, C]
  qkvB: Tensor; // [3C]
  attnOutW: Tensor; // [C, C]
  attnOutB: Tensor;
  ln1W: Tensor; // [C]
  ln1B: Tensor;
  interW: Tensor; // [F, C]
  interB: Tensor; // [F]
  outW: Tensor; // [C, F]
  outB: Tensor;
  ln2W: Tensor;
  ln2B: Tensor;
  /** relative_key's distance_embedding [2P - 1, hs] (relative-key.ts); absent for absolute positions */
  distance?: Tensor;
}

/** The self-attention's activations (BertSelfAttention), both layer kinds. */
export interface AttentionActs extends RowActs {
  qkv: Float32Array; // [N, 3C]
  probs: Float32Array; // [B, H, T, T]
  attnKeep: Uint8Array; // [B, H, T, T] attention dropout mask (empty when pAttn = 0)
}

/** What the row-wise part of either kind holds for n rows: its input (the attention's output) and its output. */
export interface RowActs {
  ctx: Float32Array; // [n, C]
  out: Float32Array; // [n, C]
}

/** The selected rows of a sparse layer: flat positions, their residual input and the gradient on their output. */
export interface SparseRows {
  rows: Int32Array; // [M] flat positions b*T+t, ascending
  x: Float32Array; // [M, C] the layer input at rows (the first residual)
  dOut: Float32Array; // [M, C] filled by the heads' backward
  acts: RowActs; // the row-wise part's activations at those rows (acts.out: the layer's output there)
}

/**
 * One kind of encoder layer as its two parts: the attention over every position (its input's LayerNorm too, pre-LN)
 * and the row-wise rest. The dense and sparse drivers below run either kind; parameter grads accumulate.
 */
export interface EncoderLayerKind {
  /** The activations of a dense layer at N rows: the attention's and the row-wise part's. */
  alloc(e: Engine, N: number, NT: number, C: number, H: number, F: number, pAttn: number): AttentionActs;
  /** The row-wise part's activations for n rows. */
  allocRows(e: Engine, n: number, C: number, F: number): RowActs;
  /** A.ctx [N, C] from the layer input x [N, C]; S.rel holds relative_key's temporaries. */
  attentionForward(
    e: Engine,
    P: BertLayerParams,
    A: AttentionActs,
    S: Scratch,
    x: Float32Array,
    mask: Float32Array | null,
    d: LayerDims,
    rng: Rng | undefined,
  ): void;
  /** dctx [N, C] -> S.a += dx; `spare` is an [N, C] scratch other than dctx and S.a. */
  attentionBackward(
    e: Engine,
    P: BertLayerParams,
    A: AttentionActs,
    S: Scratch,
    dctx: Float32Array,
    spare: Float32Array,
    x: Float32Array,
    d: LayerDims,
    training: boolean,
  ): void;
  /** R.out [n, C] from R.ctx and the residual x [n, C]; uses S.a, S.b. */
  rowsForward(
    e: Engine,
    P: BertLayerParams,
    R: RowActs,
    S: Scratch,
    x: Float32Array,
    n: number,
    d: LayerDims,
    rng: Rng | undefined,
  ): void;
  /** dout [n, C] -> the residual input's gradient in dout, dctx in S.b; uses S.c, S.f1, S.f2. */
  rowsBackward(
    e: Engine,
    P: BertLayerParams,
    R: RowActs,
    S: Scratch,
    dout: Float32Array,
    n: number,
    d: LayerDims,
    training: boolean,
  ): void;
}

/** The post-LN row-wise part's activations for n rows (all N, or the M selected ones). */
export interface BertRowActs extends RowActs {
  ctx: Float32Array; // [n, C] attention output (the row-wise part's input)
  keep1: Uint8Array; // [n, C]
  res1: Float32Array; // [n, C]
  ln1: Float32Array; // [n, C]
  ln1Mean: Float32Array; // [n]
  ln1Rstd: Float32Array; // [n]
  inter: Float32Array; // [n, F]
  gelu: Float32Array; // [n, F]
  keep2: Uint8Array; // [n, C]
  res2: Float32Array; // [n, C]
  out: Float32Array; // [n, C]
  ln2Mean: Float32Array; // [n]
  ln2Rstd: Float32Array; // [n]
}

export interface BertLayerActs extends BertRowActs, AttentionActs {}

function allocRowActs(e: Engine, n: number, C: number, F: number): BertRowActs {
  return {
    ctx: e.alloc(n * C),
    keep1: e.allocBytes(n * C),
    res1: e.alloc(n * C),
    ln1: e.alloc(n * C),
    ln1Mean: e.alloc(n),
    ln1Rstd: e.alloc(n),
    inter: e.alloc(n * F),
    gelu: e.alloc(n * F),
    keep2: e.allocBytes(n * C),
    res2: e.alloc(n * C),
    out: e.alloc(n * C),
    ln2Mean: e.alloc(n),
    ln2Rstd: e.alloc(n),
  };
}

export function allocBertLayerActs(
  e: Engine,
  N: number,
  NT: number,
  C: number,
  H: number,
  F: number,
  pAttn: number,
): BertLayerActs {
  return {
    qkv: e.alloc(N * 3 * C),
    probs: e.alloc(H * NT),
    attnKeep: e.allocBytes(pAttn > 0 ? H * NT : 0),
    ...allocRowActs(e, N, C, F),
  };
}

/** Activations for up to M selected rows of a `kind` layer. */
export function allocSparseRows(kind: EncoderLayerKind, e: Engine, M: number, C: number, F: number): SparseRows {
  return { rows: e.allocInt(M), x: e.alloc(M * C), dOut: e.alloc(M * C), acts: kind.allocRows(e, M, C, F) };
}

/** A.out[N, C] from x[N, C]; mask[B, T, T] additive or null; rng given = training (dropout). */
export function layerForward(
  kind: EncoderLayerKind,
  e: Engine,
  P: BertLayerParams,
  A: AttentionActs,
  S: Scratch,
  x: Float32Array,
  mask: Float32Array | null,
  d: LayerDims,
  rng: Rng | undefined,
): void {
  kind.attentionForward(e, P, A, S, x, mask, d, rng);
  kind.rowsForward(e, P, A, S, x, d.B * d.T, d, rng);
}

/** dout in S.a [N, C] -> dx in S.a; parameter grads accumulate. x is the forward's input. */
export function layerBackward(
  kind: EncoderLayerKind,
  e: Engine,
  P: BertLayerParams,
  A: AttentionActs,
  S: Scratch,
  x: Float32Array,
  d: LayerDims,
  training: boolean,
): void {
  kind.rowsBackward(e, P, A, S, S.a, d.B * d.T, d, training); // S.a = dres1, S.b = dctx
  kind.attentionBackward(e, P, A, S, S.b, S.c, x, d, training);
}

/**
 * R.acts.out[M, C] = the layer's output at the M flat positions R.rows: attention over all positions (every key and
 * value is needed), then the row-wise part on the gathered rows only. Under dropout the row-wise sites draw [M, C]
 * masks, so results differ from the dense layer's (same rng, other draws); without dropout they are equal.
 */
export function sparseLayerForward(
  kind: EncoderLayerKind,
  e: Engine,
  P: BertLayerParams,
  A: AttentionActs,
  R: SparseRows,
  S: Scratch,
  x: Float32Array,
  M: number,
  mask: Float32Array | null,
  d: LayerDims,
  rng: Rng | undefined,
): void {
  kind.attentionForward(e, P, A, S, x, mask, d, rng);
  if (M === 0) return;
  e.gatherRows(R.acts.ctx, A.ctx, R.rows, M, d.C);
  e.gatherRows(R.x, x, R.rows, M, d.C);
  kind.rowsForward(e, P, R.acts, S, R.x, M, d, rng);
}

/** R.dOut [M, C] -> dx in S.a [N, C] (zero off the selected rows' residual path); parameter grads accumulate. */
export function sparseLayerBackward(
  kind: EncoderLayerKind,
  e: Engine,
  P: BertLayerParams,
  A: AttentionActs,
  R: SparseRows,
  S: Scratch,
  x: Float32Array,
  M: number,
  d: LayerDims,
  training: boolean,
): void {
  const NC = d.B * d.T * d.C;
  if (M > 0) kind.rowsBackward(e, P, R.acts, S, R.dOut, M, d, training); // R.dOut = dres1, S.b = dctx, both [M, C]
  S.c.fill(0, 0, NC);
  S.a.fill(0, 0, NC);
  if (M > 0) {
    e.scatterAddRows(S.c, S.b, R.rows, M, d.C); // dctx [N, C]
    e.scatterAddRows(S.a, R.dOut, R.rows, M, d.C); // dres1 [N, C]
  }
  kind.attentionBackward(e, P, A, S, S.c, S.b, x, d, training);
}

/** The post-LN layer (HF BertLayer). */
export const postLnLayer: EncoderLayerKind = {
  alloc: allocBertLayerActs,
  allocRows: allocRowActs,
  attentionForward: selfAttentionForward,
  attentionBackward: (e, P, A, S, dctx, _spare, x, d, training) =>
    selfAttentionBackward(e, P, A, S, dctx, x, S.a, true, d, training),
  rowsForward,
  rowsBackward,
};

/** A.qkv[N, 3C] and A.ctx[N, C] from the attention's input x[N, C] (BertSelfAttention; relative_key with P.distance). */
export function selfAttentionForward(
  e: Engine,
  P: BertLayerParams,
  A: AttentionActs,
  S: Scratch,
  x: Float32Array,
  mask: Float32Array | null,
  d: LayerDims,
  rng: Rng | undefined,
): void {
  const { B, T, C, H, pAttn } = d;
  e.linearForward(A.qkv, x, P.qkvW.data, P.qkvB.data, B * T, C, 3 * C);
  const dropout = attentionDropoutSite(A.attnKeep, B * H * T * T, pAttn, rng);
  if (!P.distance) {
    e.attentionForward(A.ctx, A.probs, A.qkv, mask, B, T, C, H, dropout);
    return;
  }
  const X = S.rel as RelativeKeyScratch;
  const s = packedShape(d);
  relativeKeyForward(e, P.distance, X, A.qkv, d, s.scale);
  e.biasedAttentionForward(A.ctx, A.probs, A.qkv, A.qkv.subarray(C), X.bias, mask, s, dropout);
}

// The attention over a packed qkv [B, T, 3C] with relative_key's scores as a bias per batch row.
const packedShape = (d: LayerDims): AttentionShape => {
  const D = d.C / d.H;
  return {
    B: d.B,
    Tq: d.T,
    Tk: d.T,
    H: d.H,
    D,
    ldq: 3 * d.C,
    ldkv: 3 * d.C,
    scale: 1 / Math.sqrt(D),
    biasPerRow: true,
  };
};

/** dctx [N, C] -> dx [N, C] (+= with `accumulate`; neither dctx nor S.qkv) for the attention's input x; uses S.qkv. */
export function selfAttentionBackward(
  e: Engine,
  P: BertLayerParams,
  A: AttentionActs,
  S: Scratch,
  dctx: Float32Array,
  x: Float32Array,
  dx: Float32Array,
  accumulate: boolean,
  d: LayerDims,
  training: boolean,
): void {
  const { B, T, C, H, pAttn } = d;
  const dropout = attentionDropoutSiteBackward(A.attnKeep, pAttn, training);
  if (!P.distance) e.attentionBackward(S.qkv, dctx, A.qkv, A.probs, B, T, C, H, dropout);
  else {
    const X = S.rel as RelativeKeyScratch;
    const s = packedShape(d);
    e.biasedAttentionBackward(S.qkv, S.qkv.subarray(C), X.bias, dctx, A.qkv, A.qkv.subarray(C), A.probs, s, dropout);
    relativeKeyBackward(e, P.distance, X, A.qkv, S.qkv, d, s.scale);
  }
  e.linearBackward(dx, P.qkvW.grad, P.qkvB.grad, S.qkv, x, P.qkvW.data, B * T, C, 3 * C, accumulate);
}

// R.out[n, C] from R.ctx[n, C] and the residual x[n, C] (BertSelfOutput, BertIntermediate, BertOutput); uses S.a, S.b.
function rowsForward(
  e: Engine,
  P: BertLayerParams,
  R: BertRowActs,
  S: Scratch,
  x: Float32Array,
  n: number,
  d: LayerDims,
  rng: Rng | undefined,
): void {
  const { C, F, eps, p } = d;
  e.linearForward(S.a, R.ctx, P.attnOutW.data, P.attnOutB.data, n, C, C);
  e.add(R.res1, dropoutSite(e, S.b, R.keep1, S.a, n * C, p, rng), x, n * C);
  e.layerNormForward(R.ln1, R.ln1Mean, R.ln1Rstd, R.res1, P.ln1W.data, P.ln1B.data, n, C, eps);
  e.linearForward(R.inter, R.ln1, P.interW.data, P.interB.data, n, C, F);
  e.geluForward(R.gelu, R.inter, n * F, 'erf');
  e.linearForward(S.a, R.gelu, P.outW.data, P.outB.data, n, F, C);
  e.add(R.res2, dropoutSite(e, S.b, R.keep2, S.a, n * C, p, rng), R.ln1, n * C);
  e.layerNormForward(R.out, R.ln2Mean, R.ln2Rstd, R.res2, P.ln2W.data, P.ln2B.data, n, C, eps);
}

// dout [n, C] (S.a or a buffer outside S) -> dres1 in dout, dctx in S.b; uses S.c, S.f1, S.f2.
function rowsBackward(
  e: Engine,
  P: BertLayerParams,
  R: BertRowActs,
  S: Scratch,
  dout: Float32Array,
  n: number,
  d: LayerDims,
  training: boolean,
): void {
  const { C, F, p } = d;
  e.layerNormBackward(S.b, P.ln2W.grad, P.ln2B.grad, dout, R.res2, R.ln2Mean, R.ln2Rstd, P.ln2W.data, n, C, false); // S.b = dres2
  const dh2 = dropoutSiteBackward(e, S.c, S.b, R.keep2, n * C, p, training);
  e.linearBackward(S.f1, P.outW.grad, P.outB.grad, dh2, R.gelu, P.outW.data, n, F, C, false);
  e.geluBackward(S.f2, S.f1, R.inter, n * F, 'erf', false);
  e.linearBackward(S.b, P.interW.grad, P.interB.grad, S.f2, R.ln1, P.interW.data, n, C, F, true); // S.b = dln1
  e.layerNormBackward(dout, P.ln1W.grad, P.ln1B.grad, S.b, R.res1, R.ln1Mean, R.ln1Rstd, P.ln1W.data, n, C, false); // dout = dres1
  const dh1 = dropoutSiteBackward(e, S.c, dout, R.keep1, n * C, p, training);
  e.linearBackward(S.b, P.attnOutW.grad, P.attnOutB.grad, dh1, R.ctx, P.attnOutW.data, n, C, C, false); // S.b = dctx
}
