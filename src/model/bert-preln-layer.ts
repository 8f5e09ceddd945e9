// One pre-LN BERT encoder layer (HF RobertaPreLayerNormLayer), forward and backward side by side:
//   ln1  = LayerNorm(x)                                          (attention.LayerNorm: P.ln1)
//   ctx  = dropout(softmax(q k^T / sqrt(hs) + mask)) v per head, qkv = ln1 Wqkv^T + b   (attention.self)
//   res1 = x + dropout(ctx Wo^T + bo)                            (attention.output: no LayerNorm after)
//   out  = res1 + dropout(gelu(LayerNorm(res1) Wi^T + bi) Wd^T + bd)
//                                   (intermediate.LayerNorm: P.ln2, intermediate.dense, output.dense: none after)
// As in the post-LN layer (bert-layer.ts), everything after the attention kernel is row-wise: bert-layer.ts's dense
// and sparse drivers run this layer's two parts (the LayerNorm before attention runs on every row: all are keys).
import type { Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import {
  selfAttentionBackward,
  selfAttentionForward,
  type AttentionActs,
  type BertLayerParams,
  type EncoderLayerKind,
  type RowActs,
} from './bert-layer.js';
import { dropoutSite, dropoutSiteBackward } from './dropout.js';
import type { LayerDims, Scratch } from './scratch.js';

/** The row-wise part's activations for n rows (all N, or the M selected ones). */
export interface PreLnRowActs extends RowActs {
  ctx: Float32Array; // [n, C] attention output (the row-wise part's input)
  keep1: Uint8Array; // [n, C]
  res1: Float32Array; // [n, C]
  ln2: Float32Array; // [n, C]
  ln2Mean: Float32Array; // [n]
  ln2Rstd: Float32Array; // [n]
  inter: Float32Array; // [n, F]
  gelu: Float32Array; // [n, F]
  keep2: Uint8Array; // [n, C]
  out: Float32Array; // [n, C]
}

export interface PreLnLayerActs extends PreLnRowActs, AttentionActs {
  ln1: Float32Array; // [N, C] the attention's input
  ln1Mean: Float32Array; // [N]
  ln1Rstd: Float32Array; // [N]
}

function allocRowActs(e: Engine, n: number, C: number, F: number): PreLnRowActs {
  return {
    ctx: e.alloc(n * C),
    keep1: e.allocBytes(n * C),
    res1: e.alloc(n * C),
    ln2: e.alloc(n * C),
    ln2Mean: e.alloc(n),
    ln2Rstd: e.alloc(n),
    inter: e.alloc(n * F),
    gelu: e.alloc(n * F),
    keep2: e.allocBytes(n * C),
    out: e.alloc(n * C),
  };
}

export function allocPreLnLayerActs(
  e: Engine,
  N: number,
  NT: number,
  C: number,
  H: number,
  F: number,
  pAttn: number,
): PreLnLayerActs {
  return {
    ln1: e.alloc(N * C),
    ln1Mean: e.alloc(N),
    ln1Rstd: e.alloc(N),
    qkv: e.alloc(N * 3 * C),
    probs: e.alloc(H * NT),
    attnKeep: e.allocBytes(pAttn > 0 ? H * NT : 0),
    ...allocRowActs(e, N, C, F),
  };
}

// A.ln1 = LayerNorm(x), then the attention on it: A.qkv, A.ctx.
function attentionForward(
  e: Engine,
  P: BertLayerParams,
  A: PreLnLayerActs,
  S: Scratch,
  x: Float32Array,
  mask: Float32Array | null,
  d: LayerDims,
  rng: Rng | undefined,
): void {
  e.layerNormForward(A.ln1, A.ln1Mean, A.ln1Rstd, x, P.ln1W.data, P.ln1B.data, d.B * d.T, d.C, d.eps);
  selfAttentionForward(e, P, A, S, A.ln1, mask, d, rng);
}

// dctx [N, C] -> S.a += dx through q, k, v and ln1; dln1 [N, C] is a scratch buffer other than dctx and S.a.
function attentionBackward(
  e: Engine,
  P: BertLayerParams,
  A: PreLnLayerActs,
  S: Scratch,
  dctx: Float32Array,
  dln1: Float32Array,
  x: Float32Array,
  d: LayerDims,
  training: boolean,
): void {
  selfAttentionBackward(e, P, A, S, dctx, A.ln1, dln1, false, d, training);
  e.layerNormBackward(S.a, P.ln1W.grad, P.ln1B.grad, dln1, x, A.ln1Mean, A.ln1Rstd, P.ln1W.data, d.B * d.T, d.C, true);
}

// R.out[n, C] from R.ctx[n, C] and the residual x[n, C] (attention.output, intermediate, output); uses S.a, S.b.
function rowsForward(
  e: Engine,
  P: BertLayerParams,
  R: PreLnRowActs,
  S: Scratch,
  x: Float32Array,
  n: number,
  d: LayerDims,
  rng: Rng | undefined,
): void {
  const { C, F, eps, p } = d;
  e.linearForward(S.a, R.ctx, P.attnOutW.data, P.attnOutB.data, n, C, C);
  e.add(R.res1, dropoutSite(e, S.b, R.keep1, S.a, n * C, p, rng), x, n * C);
  e.layerNormForward(R.ln2, R.ln2Mean, R.ln2Rstd, R.res1, P.ln2W.data, P.ln2B.data, n, C, eps);
  e.linearForward(R.inter, R.ln2, P.interW.data, P.interB.data, n, C, F);
  e.geluForward(R.gelu, R.inter, n * F, 'erf');
  e.linearForward(S.a, R.gelu, P.outW.data, P.outB.data, n, F, C);
  e.add(R.out, dropoutSite(e, S.b, R.keep2, S.a, n * C, p, rng), R.res1, n * C);
}

// dout [n, C] (S.a or a buffer outside S) -> dres1 in dout (both of its uses), dctx in S.b; uses S.c, S.f1, S.f2.
function rowsBackward(
  e: Engine,
  P: BertLayerParams,
  R: PreLnRowActs,
  S: Scratch,
  dout: Float32Array,
  n: number,
  d: LayerDims,
  training: boolean,
): void {
  const { C, F, p } = d;
  const dh2 = dropoutSiteBackward(e, S.b, dout, R.keep2, n * C, p, training);
  e.linearBackward(S.f1, P.outW.grad, P.outB.grad, dh2, R.gelu, P.outW.data, n, F, C, false);
  e.geluBackward(S.f2, S.f1, R.inter, n * F, 'erf', false);
  e.linearBackward(S.c, P.interW.grad, P.interB.grad, S.f2, R.ln2, P.interW.data, n, C, F, false); // S.c = dln2
  e.layerNormBackward(dout, P.ln2W.grad, P.ln2B.grad, S.c, R.res1, R.ln2Mean, R.ln2Rstd, P.ln2W.data, n, C, true); // dout = dres1
  const dh1 = dropoutSiteBackward(e, S.c, dout, R.keep1, n * C, p, training);
  e.linearBackward(S.b, P.attnOutW.grad, P.attnOutB.grad, dh1, R.ctx, P.attnOutW.data, n, C, C, false); // S.b = dctx
}

/** The pre-LN layer (HF RobertaPreLayerNormLayer). */
export const preLnLayer: EncoderLayerKind = {
  alloc: allocPreLnLayerActs,
  allocRows: allocRowActs,
  attentionForward,
  attentionBackward,
  rowsForward,
  rowsBackward,
};
