// BERT's relative_key position scores (HF BertSelfAttention with position_embedding_type "relative_key"; Huang et
// al. 2020, "Improve Transformer Models with Better Relative Position Embeddings"), forward and backward mirrored:
//   scores[b, h, l, r] = (q . k + q[b, l, h] . E[l - r + P - 1]) / sqrt(hs),  E = distance_embedding [2P - 1, hs]
// over sequence indices l, r (not position ids: packed documents' restarts do not apply, as in HF). A batch of
// length T reads the 2T - 1 rows ET = E[P - T .. P + T - 2] (distance j = l - r + T - 1), so the scores are one GEMM
// and a gather, and their gradient a scatter and two GEMMs:
//   R[n * H + h, j] = q[n, h] . ET[j]              (Q [N * H, hs] x ET^T)
//   bias[b, h, l, r] = R[(b * T + l) * H + h, l - r + T - 1] * scale    (the attention adds it after q . k * scale)
//   dR[(b * T + l) * H + h, l - r + T - 1] = dscores[b, h, l, r] * scale   (one distance per key within a row)
//   dQ = dR ET,  dET += dR^T Q
import type { Engine } from '../engine/engine.js';
import type { Tensor } from './parameters.js';

/** The buffers the relative scores need, shared by the layers (nothing here outlives one layer's pass). */
export interface RelativeKeyScratch {
  q: Float32Array; // [N, C] the queries, contiguous (= [N * H, hs])
  R: Float32Array; // [N * H, 2T - 1]
  bias: Float32Array; // [B, H, T, T] the scaled scores (forward), dscores (backward)
}

export function allocRelativeKeyScratch(e: Engine, N: number, NT: number, C: number, H: number): RelativeKeyScratch {
  return { q: e.alloc(N * C), R: e.alloc(2 * H * NT), bias: e.alloc(H * NT) };
}

interface Sizes {
  B: number;
  T: number;
  C: number;
  H: number;
}

// The rows of E a batch of length T reads, and the head size.
function window(E: Tensor, s: Sizes): { hs: number; first: number; J: number } {
  const hs = s.C / s.H;
  const P = (E.data.length / hs + 1) / 2;
  return { hs, first: (P - s.T) * hs, J: 2 * s.T - 1 };
}

// X.q = the query columns [0, C) of qkv [N, 3C].
function gatherQueries(X: RelativeKeyScratch, qkv: Float32Array, N: number, C: number): void {
  for (let n = 0; n < N; n++) X.q.set(qkv.subarray(n * 3 * C, n * 3 * C + C), n * C);
}

/** X.bias [B, H, T, T] = the relative scores times `scale`, from the queries in qkv [N, 3C] and E. */
export function relativeKeyForward(
  e: Engine,
  E: Tensor,
  X: RelativeKeyScratch,
  qkv: Float32Array,
  s: Sizes,
  scale: number,
): void {
  const { B, T, C, H } = s;
  const N = B * T;
  const { hs, first, J } = window(E, s);
  gatherQueries(X, qkv, N, C);
  e.matmul(X.R, X.q, E.data.subarray(first, first + J * hs), N * H, J, hs, false, true, 0);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let l = 0; l < T; l++) {
        const src = ((b * T + l) * H + h) * J + l + T - 1; // distance l - r + T - 1 at r = 0, falling with r
        const dst = ((b * H + h) * T + l) * T;
        for (let r = 0; r < T; r++) X.bias[dst + r] = X.R[src - r] * scale;
      }
}

/** From X.bias = dscores [B, H, T, T]: dqkv's query columns += the scores' share, E.grad += its rows' share. */
export function relativeKeyBackward(
  e: Engine,
  E: Tensor,
  X: RelativeKeyScratch,
  qkv: Float32Array,
  dqkv: Float32Array,
  s: Sizes,
  scale: number,
): void {
  const { B, T, C, H } = s;
  const N = B * T;
  const { hs, first, J } = window(E, s);
  X.R.fill(0, 0, N * H * J);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let l = 0; l < T; l++) {
        const dst = ((b * T + l) * H + h) * J + l + T - 1;
        const src = ((b * H + h) * T + l) * T;
        for (let r = 0; r < T; r++) X.R[dst - r] = X.bias[src + r] * scale;
      }
  gatherQueries(X, qkv, N, C);
  e.matmul(E.grad.subarray(first, first + J * hs), X.R, X.q, J, hs, N * H, true, false, 1);
  e.matmul(X.q, X.R, E.data.subarray(first, first + J * hs), N * H, hs, J, false, false, 0); // X.q = dQ
  for (let n = 0; n < N; n++) {
    const row = n * 3 * C;
    for (let i = 0; i < C; i++) dqkv[row + i] += X.q[n * C + i];
  }
}
