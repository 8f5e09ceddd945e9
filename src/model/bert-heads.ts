// BERT's embeddings and heads, forward and backward side by side (HF BertEmbeddings, BertLMPredictionHead, BertPooler
// + cls.seq_relationship).
import type { Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import { dropoutSite, dropoutSiteBackward } from './dropout.js';
import type { Scratch } from './scratch.js';
import type { Tensor } from './parameters.js';

export interface EmbeddingParams {
  word: Tensor; // [V, C]
  /** [P, C]; added to the input only with absolute positions (HF keeps the table under relative_key, unused) */
  position: Tensor;
  absolute: boolean;
  tokenType: Tensor; // [TT, C]
  lnW: Tensor; // [C]
  lnB: Tensor;
}

export interface EmbeddingActs {
  ids: Int32Array; // [N]
  positions: Int32Array; // [N]
  types: Int32Array; // [N]
  sum: Float32Array; // [N, C]
  ln: Float32Array; // [N, C]
  mean: Float32Array; // [N]
  rstd: Float32Array; // [N]
  keep: Uint8Array; // [N, C]
  dropped: Float32Array; // [N, C]
  padRow: Float32Array; // [C]
}

export function allocEmbeddingActs(e: Engine, N: number, C: number): EmbeddingActs {
  return {
    ids: e.allocInt(N),
    positions: e.allocInt(N),
    types: e.allocInt(N),
    sum: e.alloc(N * C),
    ln: e.alloc(N * C),
    mean: e.alloc(N),
    rstd: e.alloc(N),
    keep: e.allocBytes(N * C),
    dropped: e.alloc(N * C),
    padRow: e.alloc(C),
  };
}

/** h0[N, C] = dropout(LayerNorm(word[ids] + type[types] (+ position[positions]))); returns the buffer holding h0. */
export function embeddingsForward(
  e: Engine,
  P: EmbeddingParams,
  A: EmbeddingActs,
  N: number,
  C: number,
  eps: number,
  p: number,
  rng: Rng | undefined,
): Float32Array {
  e.embeddingForward(A.sum, P.word.data, A.ids, N, C, false);
  e.embeddingForward(A.sum, P.tokenType.data, A.types, N, C, true);
  if (P.absolute) e.embeddingForward(A.sum, P.position.data, A.positions, N, C, true);
  e.layerNormForward(A.ln, A.mean, A.rstd, A.sum, P.lnW.data, P.lnB.data, N, C, eps);
  return dropoutSite(e, A.dropped, A.keep, A.ln, N * C, p, rng);
}

/** dh0 in S.a [N, C]; grads accumulate. The padding_idx row of word gets no gradient here (nn.Embedding(padding_idx)). */
export function embeddingsBackward(
  e: Engine,
  P: EmbeddingParams,
  A: EmbeddingActs,
  S: Scratch,
  N: number,
  C: number,
  p: number,
  training: boolean,
  padId: number,
): void {
  const dln = dropoutSiteBackward(e, S.b, S.a, A.keep, N * C, p, training);
  e.layerNormBackward(S.c, P.lnW.grad, P.lnB.grad, dln, A.sum, A.mean, A.rstd, P.lnW.data, N, C, false);
  A.padRow.set(P.word.grad.subarray(padId * C, padId * C + C));
  e.embeddingBackward(P.word.grad, S.c, A.ids, N, C);
  P.word.grad.set(A.padRow, padId * C);
  e.embeddingBackward(P.tokenType.grad, S.c, A.types, N, C);
  if (P.absolute) e.embeddingBackward(P.position.grad, S.c, A.positions, N, C);
}

export interface MlmHeadParams {
  denseW: Tensor; // [C, C]
  denseB: Tensor; // [C]
  lnW: Tensor; // [C]
  lnB: Tensor;
  decoderW: Tensor; // [V, C], tied: the word embeddings
  bias: Tensor; // [V] cls.predictions.bias
}

export interface MlmHeadActs {
  rows: Int32Array; // [M] flat positions b*T+t predicted
  at: Int32Array; // [M] their index among a sparse last layer's rows (when the head reads that layer's output)
  targets: Int32Array; // [M]
  x: Float32Array; // [M, C] gathered hidden rows
  dense: Float32Array; // [M, C]
  gelu: Float32Array; // [M, C]
  ln: Float32Array; // [M, C]
  mean: Float32Array; // [M]
  rstd: Float32Array; // [M]
  logits: Float32Array; // [M, V], then dlogits
}

export function allocMlmHeadActs(e: Engine, N: number, C: number, V: number): MlmHeadActs {
  return {
    rows: e.allocInt(N),
    at: e.allocInt(N),
    targets: e.allocInt(N),
    x: e.alloc(N * C),
    dense: e.alloc(N * C),
    gelu: e.alloc(N * C),
    ln: e.alloc(N * C),
    mean: e.alloc(N),
    rstd: e.alloc(N),
    logits: e.alloc(N * V),
  };
}

/** logits[M, V] = decoder(LayerNorm(gelu(dense(x)))) + bias; x[M, C] the hidden rows at A.rows (A.x when gathered). */
export function mlmHeadForward(
  e: Engine,
  P: MlmHeadParams,
  A: MlmHeadActs,
  x: Float32Array,
  M: number,
  C: number,
  V: number,
  eps: number,
): void {
  e.linearForward(A.dense, x, P.denseW.data, P.denseB.data, M, C, C);
  e.geluForward(A.gelu, A.dense, M * C, 'erf');
  e.layerNormForward(A.ln, A.mean, A.rstd, A.gelu, P.lnW.data, P.lnB.data, M, C, eps);
  e.linearForward(A.logits, A.ln, P.decoderW.data, P.bias.data, M, C, V);
}

/** dlogits in A.logits -> dx[M, C] (overwritten; not S.b) for the forward's input x; uses S.b, S.c. */
export function mlmHeadBackward(
  e: Engine,
  P: MlmHeadParams,
  A: MlmHeadActs,
  S: Scratch,
  dx: Float32Array,
  x: Float32Array,
  M: number,
  C: number,
  V: number,
): void {
  e.linearBackward(S.b, P.decoderW.grad, P.bias.grad, A.logits, A.ln, P.decoderW.data, M, C, V, false);
  e.layerNormBackward(S.c, P.lnW.grad, P.lnB.grad, S.b, A.gelu, A.mean, A.rstd, P.lnW.data, M, C, false);
  e.geluBackward(S.b, S.c, A.dense, M * C, 'erf', false);
  e.linearBackward(dx, P.denseW.grad, P.denseB.grad, S.b, x, P.denseW.data, M, C, C, false);
}

export interface NspHeadParams {
  poolW: Tensor; // [C, C] bert.pooler.dense
  poolB: Tensor;
  clsW: Tensor; // [2, C] cls.seq_relationship
  clsB: Tensor; // [2]
}

export interface NspHeadActs {
  rows: Int32Array; // [B] the [CLS] rows in hidden (b*T, or their index among a sparse layer's rows); set by the caller
  targets: Int32Array; // [B]
  cls: Float32Array; // [B, C]
  pre: Float32Array; // [B, C]
  pooled: Float32Array; // [B, C]
  logits: Float32Array; // [B, 2], then dlogits
  d1: Float32Array; // [B, C]
  d2: Float32Array; // [B, C]
}

export function allocNspHeadActs(e: Engine, B: number, C: number): NspHeadActs {
  return {
    rows: e.allocInt(B),
    targets: e.allocInt(B),
    cls: e.alloc(B * C),
    pre: e.alloc(B * C),
    pooled: e.alloc(B * C),
    logits: e.alloc(B * 2),
    d1: e.alloc(B * C),
    d2: e.alloc(B * C),
  };
}

/** pooled[B, C] = tanh(dense(hidden[A.rows])); logits[B, 2] = seq_relationship(pooled) when `withLogits`. */
export function nspHeadForward(
  e: Engine,
  P: NspHeadParams,
  A: NspHeadActs,
  hidden: Float32Array,
  B: number,
  C: number,
  withLogits: boolean,
): void {
  e.gatherRows(A.cls, hidden, A.rows, B, C);
  e.linearForward(A.pre, A.cls, P.poolW.data, P.poolB.data, B, C, C);
  e.tanhForward(A.pooled, A.pre, B * C);
  if (withLogits) e.linearForward(A.logits, A.pooled, P.clsW.data, P.clsB.data, B, C, 2);
}

/** dlogits in A.logits -> dHidden[A.rows] += ... . */
export function nspHeadBackward(
  e: Engine,
  P: NspHeadParams,
  A: NspHeadActs,
  dHidden: Float32Array,
  B: number,
  C: number,
): void {
  e.linearBackward(A.d1, P.clsW.grad, P.clsB.grad, A.logits, A.pooled, P.clsW.data, B, C, 2, false);
  e.tanhBackward(A.d2, A.d1, A.pooled, B * C, false);
  e.linearBackward(A.d1, P.poolW.grad, P.poolB.grad, A.d2, A.cls, P.poolW.data, B, C, C, false);
  e.scatterAddRows(dHidden, A.d1, A.rows, B, C);
}
