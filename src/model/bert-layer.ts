// One post-LN BERT encoder layer (HF BertLayer), forward and backward side by side:
//   qkv = x Wqkv^T + b                      (query/key/value packed as rows of one [3C, C])
//   ctx = dropout(softmax(q k^T / sqrt(hs) + mask)) v per head   (BertSelfAttention)
//   ln1 = LayerNorm(dropout(ctx Wo^T + bo) + x)              (BertSelfOutput)
//   out = LayerNorm(dropout(gelu(ln1 Wi^T + bi) Wd^T + bd) + ln1)   (BertIntermediate, BertOutput)
import type { Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import { attentionDropoutSite, attentionDropoutSiteBackward, dropoutSite, dropoutSiteBackward } from './dropout.js';
import type { Tensor } from './parameters.js';
import type { LayerDims, Scratch } from './scratch.js';

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
}

export interface BertLayerActs {
  qkv: Float32Array; // [N, 3C]
  probs: Float32Array; // [B, H, T, T]
  attnKeep: Uint8Array; // [B, H, T, T] attention dropout mask (empty when pAttn = 0)
  ctx: Float32Array; // [N, C]
  keep1: Uint8Array; // [N, C]
  res1: Float32Array; // [N, C]
  ln1: Float32Array; // [N, C]
  ln1Mean: Float32Array; // [N]
  ln1Rstd: Float32Array; // [N]
  inter: Float32Array; // [N, F]
  gelu: Float32Array; // [N, F]
  keep2: Uint8Array; // [N, C]
  res2: Float32Array; // [N, C]
  out: Float32Array; // [N, C]
  ln2Mean: Float32Array; // [N]
  ln2Rstd: Float32Array; // [N]
}

export function allocBertLayerActs(e: Engine, N: number, NT: number, C: number, H: number, F: number, pAttn: number): BertLayerActs {
  return {
    qkv: e.alloc(N * 3 * C),
    probs: e.alloc(H * NT),
    attnKeep: e.allocBytes(pAttn > 0 ? H * NT : 0),
    ctx: e.alloc(N * C),
    keep1: e.allocBytes(N * C),
    res1: e.alloc(N * C),
    ln1: e.alloc(N * C),
    ln1Mean: e.alloc(N),
    ln1Rstd: e.alloc(N),
    inter: e.alloc(N * F),
    gelu: e.alloc(N * F),
    keep2: e.allocBytes(N * C),
    res2: e.alloc(N * C),
    out: e.alloc(N * C),
    ln2Mean: e.alloc(N),
    ln2Rstd: e.alloc(N),
  };
}


/** A.out[N, C] from x[N, C]; mask[B, T, T] additive or null; rng given = training (dropout). */
export function bertLayerForward(e: Engine, P: BertLayerParams, A: BertLayerActs, S: Scratch, x: Float32Array, mask: Float32Array | null, d: LayerDims, rng: Rng | undefined): void {
  const { B, T, C, H, F, eps, p, pAttn } = d;
  const N = B * T;
  e.linearForward(A.qkv, x, P.qkvW.data, P.qkvB.data, N, C, 3 * C);
  e.attentionForward(A.ctx, A.probs, A.qkv, mask, B, T, C, H, attentionDropoutSite(A.attnKeep, B * H * T * T, pAttn, rng));
  e.linearForward(S.a, A.ctx, P.attnOutW.data, P.attnOutB.data, N, C, C);
  e.add(A.res1, dropoutSite(e, S.b, A.keep1, S.a, N * C, p, rng), x, N * C);
  e.layerNormForward(A.ln1, A.ln1Mean, A.ln1Rstd, A.res1, P.ln1W.data, P.ln1B.data, N, C, eps);
  e.linearForward(A.inter, A.ln1, P.interW.data, P.interB.data, N, C, F);
  e.geluForward(A.gelu, A.inter, N * F, 'erf');
  e.linearForward(S.a, A.gelu, P.outW.data, P.outB.data, N, F, C);
  e.add(A.res2, dropoutSite(e, S.b, A.keep2, S.a, N * C, p, rng), A.ln1, N * C);
  e.layerNormForward(A.out, A.ln2Mean, A.ln2Rstd, A.res2, P.ln2W.data, P.ln2B.data, N, C, eps);
}

/** dout in S.a [N, C] -> dx in S.a; parameter grads accumulate. x is the forward's input. */
export function bertLayerBackward(e: Engine, P: BertLayerParams, A: BertLayerActs, S: Scratch, x: Float32Array, d: LayerDims, training: boolean): void {
  const { B, T, C, H, F, p, pAttn } = d;
  const N = B * T;
  e.layerNormBackward(S.b, P.ln2W.grad, P.ln2B.grad, S.a, A.res2, A.ln2Mean, A.ln2Rstd, P.ln2W.data, N, C, false); // S.b = dres2
  const dh2 = dropoutSiteBackward(e, S.c, S.b, A.keep2, N * C, p, training);
  e.linearBackward(S.f1, P.outW.grad, P.outB.grad, dh2, A.gelu, P.outW.data, N, F, C, false);
  e.geluBackward(S.f2, S.f1, A.inter, N * F, 'erf', false);
  e.linearBackward(S.b, P.interW.grad, P.interB.grad, S.f2, A.ln1, P.interW.data, N, C, F, true); // S.b = dln1
  e.layerNormBackward(S.a, P.ln1W.grad, P.ln1B.grad, S.b, A.res1, A.ln1Mean, A.ln1Rstd, P.ln1W.data, N, C, false); // S.a = dres1
  const dh1 = dropoutSiteBackward(e, S.c, S.a, A.keep1, N * C, p, training);
  e.linearBackward(S.b, P.attnOutW.grad, P.attnOutB.grad, dh1, A.ctx, P.attnOutW.data, N, C, C, false); // S.b = dctx
  e.attentionBackward(S.qkv, S.b, A.qkv, A.probs, B, T, C, H, attentionDropoutSiteBackward(A.attnKeep, pAttn, training));
  e.linearBackward(S.a, P.qkvW.grad, P.qkvB.grad, S.qkv, x, P.qkvW.data, N, C, 3 * C, true); // S.a = dres1 + dx
}
