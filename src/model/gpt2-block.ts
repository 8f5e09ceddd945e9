// One pre-LN GPT-2 block (HF GPT2Block), forward and backward side by side:
//   res1 = x + dropout(c_proj(attention(c_attn(ln_1(x)), mask)))   (attention: attn_dropout on its probabilities)
//   out  = res1 + dropout(mlp.c_proj(gelu(mlp.c_fc(ln_2(res1)))))
// Weights in Linear layout [out, in] (HF Conv1D's [in, out] transposed at import/export).
import type { Engine, GeluForm } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import { attentionDropoutSite, attentionDropoutSiteBackward, dropoutSite, dropoutSiteBackward } from './dropout.js';
import type { Tensor } from './parameters.js';
import type { LayerDims, Scratch } from './scratch.js';

export interface Gpt2BlockParams {
  ln1W: Tensor; // [C]
  ln1B: Tensor;
  attnW: Tensor; // [3C, C]
  attnB: Tensor; // [3C]
  projW: Tensor; // [C, C]
  projB: Tensor;
  ln2W: Tensor;
  ln2B: Tensor;
  fcW: Tensor; // [F, C]
  fcB: Tensor; // [F]
  fc2W: Tensor; // [C, F]
  fc2B: Tensor; // [C]
}

export interface Gpt2BlockActs {
  ln1: Float32Array; // [N, C]
  ln1Mean: Float32Array; // [N]
  ln1Rstd: Float32Array; // [N]
  qkv: Float32Array; // [N, 3C]
  probs: Float32Array; // [B, H, T, T]
  attnKeep: Uint8Array; // [B, H, T, T] attention dropout mask (empty when pAttn = 0)
  ctx: Float32Array; // [N, C]
  keep1: Uint8Array; // [N, C]
  res1: Float32Array; // [N, C]
  ln2: Float32Array; // [N, C]
  ln2Mean: Float32Array; // [N]
  ln2Rstd: Float32Array; // [N]
  fc: Float32Array; // [N, F]
  gelu: Float32Array; // [N, F]
  keep2: Uint8Array; // [N, C]
  out: Float32Array; // [N, C]
}

export function allocGpt2BlockActs(
  e: Engine,
  N: number,
  NT: number,
  C: number,
  H: number,
  F: number,
  pAttn: number,
): Gpt2BlockActs {
  return {
    ln1: e.alloc(N * C),
    ln1Mean: e.alloc(N),
    ln1Rstd: e.alloc(N),
    qkv: e.alloc(N * 3 * C),
    probs: e.alloc(H * NT),
    attnKeep: e.allocBytes(pAttn > 0 ? H * NT : 0),
    ctx: e.alloc(N * C),
    keep1: e.allocBytes(N * C),
    res1: e.alloc(N * C),
    ln2: e.alloc(N * C),
    ln2Mean: e.alloc(N),
    ln2Rstd: e.alloc(N),
    fc: e.alloc(N * F),
    gelu: e.alloc(N * F),
    keep2: e.allocBytes(N * C),
    out: e.alloc(N * C),
  };
}

/** A.out[N, C] from x[N, C]; mask[B, T, T] additive (causal included); rng given = training (dropout). */
export function gpt2BlockForward(
  e: Engine,
  P: Gpt2BlockParams,
  A: Gpt2BlockActs,
  S: Scratch,
  x: Float32Array,
  mask: Float32Array,
  d: LayerDims,
  form: GeluForm,
  rng: Rng | undefined,
): void {
  const { B, T, C, H, F, eps, p, pAttn } = d;
  const N = B * T;
  e.layerNormForward(A.ln1, A.ln1Mean, A.ln1Rstd, x, P.ln1W.data, P.ln1B.data, N, C, eps);
  e.linearForward(A.qkv, A.ln1, P.attnW.data, P.attnB.data, N, C, 3 * C);
  e.attentionForward(
    A.ctx,
    A.probs,
    A.qkv,
    mask,
    B,
    T,
    C,
    H,
    attentionDropoutSite(A.attnKeep, B * H * T * T, pAttn, rng),
  );
  e.linearForward(S.a, A.ctx, P.projW.data, P.projB.data, N, C, C);
  e.add(A.res1, x, dropoutSite(e, S.b, A.keep1, S.a, N * C, p, rng), N * C);
  e.layerNormForward(A.ln2, A.ln2Mean, A.ln2Rstd, A.res1, P.ln2W.data, P.ln2B.data, N, C, eps);
  e.linearForward(A.fc, A.ln2, P.fcW.data, P.fcB.data, N, C, F);
  e.geluForward(A.gelu, A.fc, N * F, form);
  e.linearForward(S.a, A.gelu, P.fc2W.data, P.fc2B.data, N, F, C);
  e.add(A.out, A.res1, dropoutSite(e, S.b, A.keep2, S.a, N * C, p, rng), N * C);
}

/** dout in S.a [N, C] -> dx in S.a; parameter grads accumulate. x is the forward's input. */
export function gpt2BlockBackward(
  e: Engine,
  P: Gpt2BlockParams,
  A: Gpt2BlockActs,
  S: Scratch,
  x: Float32Array,
  d: LayerDims,
  form: GeluForm,
  training: boolean,
): void {
  const { B, T, C, H, F, p, pAttn } = d;
  const N = B * T;
  const dh2 = dropoutSiteBackward(e, S.b, S.a, A.keep2, N * C, p, training);
  e.linearBackward(S.f1, P.fc2W.grad, P.fc2B.grad, dh2, A.gelu, P.fc2W.data, N, F, C, false);
  e.geluBackward(S.f2, S.f1, A.fc, N * F, form, false);
  e.linearBackward(S.c, P.fcW.grad, P.fcB.grad, S.f2, A.ln2, P.fcW.data, N, C, F, false); // S.c = dln2
  e.layerNormBackward(S.a, P.ln2W.grad, P.ln2B.grad, S.c, A.res1, A.ln2Mean, A.ln2Rstd, P.ln2W.data, N, C, true); // S.a = dres1
  const dh1 = dropoutSiteBackward(e, S.b, S.a, A.keep1, N * C, p, training);
  e.linearBackward(S.c, P.projW.grad, P.projB.grad, dh1, A.ctx, P.projW.data, N, C, C, false); // S.c = dctx
  e.attentionBackward(
    S.qkv,
    S.c,
    A.qkv,
    A.probs,
    B,
    T,
    C,
    H,
    attentionDropoutSiteBackward(A.attnKeep, pAttn, training),
  );
  e.linearBackward(S.b, P.attnW.grad, P.attnB.grad, S.qkv, A.ln1, P.attnW.data, N, C, 3 * C, false); // S.b = dln1
  e.layerNormBackward(S.a, P.ln1W.grad, P.ln1B.grad, S.b, x, A.ln1Mean, A.ln1Rstd, P.ln1W.data, N, C, true); // S.a = dx
}
