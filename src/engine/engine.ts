// The compute interface every engine implements: `reference/` (plain TypeScript, the readable truth) and `wasm/`
// (AssemblyScript, SIMD, threads). Tensors are Float32Array / Int32Array views obtained from the engine's own
// `alloc`, row-major, fp32. A forward and a backward per op, side by side; shapes in brackets.
//
// Conventions
// - Linear weights use nn.Linear's layout W[out, in]; y = x . W^T + b. (GPT-2's Conv1D [in, out] is transposed at
//   load/export time by the model, never in the engine.)
// - Backward functions ACCUMULATE (+=) into parameter gradients (dW, db, dgamma, dbeta, dtable) and into dx when
//   `accumulate` is true, otherwise they overwrite dx. Callers zero parameter gradients once per step.
// - Attention takes a packed qkv[B, T, 3C] (q at columns [0, C), k at [C, 2C), v at [2C, 3C)), H heads of size
//   C / H, scale 1/sqrt(C/H), and an additive mask[B, T, T] (0 = attend, a large negative = blocked) or null.
//   Optional dropout on the probabilities as HF applies it: after the softmax, before the product with V.
import type { Rng } from '../rng/rng.js';

export type GeluForm = 'erf' | 'tanh';

/**
 * Inverted dropout on attention probabilities: keep[B, H, T, T] in {0, 1}, drawn by the caller (drawKeepMask below)
 * so every engine gets the same mask; kept probabilities are scaled by 1 / (1 - p).
 */
export interface AttentionDropout {
  p: number;
  keep: Uint8Array;
}

/**
 * Sizes of biasedAttention: queries q[B, Tq, ldq] and keys / values kv[B, Tk, ldkv] from separate buffers (T5's
 * cross-attention has Tq != Tk); head h reads columns [h * D, (h + 1) * D) of q, of k (kv's first H * D columns)
 * and of v (the next H * D); strides in floats, so q and kv may be views into one packed qkv[B, T, 3 * H * D].
 */
export interface AttentionShape {
  B: number;
  Tq: number;
  Tk: number;
  H: number;
  /** head size (T5's d_kv) */
  D: number;
  ldq: number;
  ldkv: number;
  /** multiplies q . k (T5: 1, its scale is folded into the init; BERT-style: 1 / sqrt(D)) */
  scale: number;
  /** bias is [B, H, Tq, Tk], one per batch row (BERT's relative_key scores), not [H, Tq, Tk] shared by the batch */
  biasPerRow?: boolean;
}

export interface Engine {
  readonly name: 'reference' | 'wasm';
  readonly threads: number;

  /** A zero-filled tensor of n floats owned by this engine (wasm: inside its memory). */
  alloc(n: number): Float32Array;
  /** A zero-filled tensor of n int32 owned by this engine. */
  allocInt(n: number): Int32Array;
  /** A zero-filled byte tensor (dropout keep masks). */
  allocBytes(n: number): Uint8Array;

  /** C[M, N] = beta * C + op(A) . op(B); op(A) is [M, K] (A stored [K, M] when transA), op(B) is [K, N] (B stored [N, K] when transB); beta is 0 or 1. */
  matmul(
    C: Float32Array,
    A: Float32Array,
    B: Float32Array,
    M: number,
    N: number,
    K: number,
    transA: boolean,
    transB: boolean,
    beta: 0 | 1,
  ): void;

  /** y[N, O] = x[N, I] . W[O, I]^T + b[O] (b may be null). */
  linearForward(
    y: Float32Array,
    x: Float32Array,
    W: Float32Array,
    b: Float32Array | null,
    N: number,
    I: number,
    O: number,
  ): void;
  /** dx[N, I] (=|+=) dy . W; dW[O, I] += dy^T . x; db[O] += colsum(dy). dx null skips it (e.g. the first layer's input). */
  linearBackward(
    dx: Float32Array | null,
    dW: Float32Array,
    db: Float32Array | null,
    dy: Float32Array,
    x: Float32Array,
    W: Float32Array,
    N: number,
    I: number,
    O: number,
    accumulate: boolean,
  ): void;

  /** y[n] = gelu(x[n]); erf form (BERT) or tanh approximation (GPT-2); y and x are distinct buffers. */
  geluForward(y: Float32Array, x: Float32Array, n: number, form: GeluForm): void;
  /** dx[n] (=|+=) dy[n] * gelu'(x[n]). */
  geluBackward(
    dx: Float32Array,
    dy: Float32Array,
    x: Float32Array,
    n: number,
    form: GeluForm,
    accumulate: boolean,
  ): void;

  /** y[n] = tanh(x[n]) (y may alias x). */
  tanhForward(y: Float32Array, x: Float32Array, n: number): void;
  /** dx[n] (=|+=) dy[n] * (1 - y[n]^2), from the forward's output y. */
  tanhBackward(dx: Float32Array, dy: Float32Array, y: Float32Array, n: number, accumulate: boolean): void;

  /** y[N, C] = (x - mean) * rstd * gamma + beta, biased variance; saves mean[N], rstd[N]. */
  layerNormForward(
    y: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    N: number,
    C: number,
    eps: number,
  ): void;
  /** dx[N, C] (=|+=) ...; dgamma[C] += ...; dbeta[C] += .... */
  layerNormBackward(
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array,
    N: number,
    C: number,
    accumulate: boolean,
  ): void;

  /** out[B, T, C] = dropout(softmax(q k^T * scale + mask)) v per head; saves probs[B, H, T, T] (before dropout). */
  attentionForward(
    out: Float32Array,
    probs: Float32Array,
    qkv: Float32Array,
    mask: Float32Array | null,
    B: number,
    T: number,
    C: number,
    H: number,
    dropout?: AttentionDropout,
  ): void;
  /** dqkv[B, T, 3C] (overwritten) from dout[B, T, C], the forward's qkv, probs and dropout. */
  attentionBackward(
    dqkv: Float32Array,
    dout: Float32Array,
    qkv: Float32Array,
    probs: Float32Array,
    B: number,
    T: number,
    C: number,
    H: number,
    dropout?: AttentionDropout,
  ): void;

  /** y[N, C] = x * rstd * gamma, rstd = 1 / sqrt(mean(x^2) + eps) (T5LayerNorm: RMSNorm, no mean, no bias); saves rstd[N]. */
  rmsNormForward(
    y: Float32Array,
    rstd: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    N: number,
    C: number,
    eps: number,
  ): void;
  /** dx[N, C] (=|+=) rstd * (dy * gamma - norm * mean(dy * gamma * norm)), norm = x * rstd; dgamma[C] += sum over n of dy * norm. */
  rmsNormBackward(
    dx: Float32Array,
    dgamma: Float32Array,
    dy: Float32Array,
    x: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array,
    N: number,
    C: number,
    accumulate: boolean,
  ): void;

  /** y[n] = max(x[n], 0) (y may alias x). */
  reluForward(y: Float32Array, x: Float32Array, n: number): void;
  /** dx[n] (=|+=) dy[n] where the forward's output y[n] > 0, else 0 (torch's threshold_backward). */
  reluBackward(dx: Float32Array, dy: Float32Array, y: Float32Array, n: number, accumulate: boolean): void;

  /** y[N, F] = gelu_tanh(h[n, f]) * h[n, F + f]: T5 v1.1's gated GELU over the packed wi_0 | wi_1 output h[N, 2F]. */
  gatedGeluForward(y: Float32Array, h: Float32Array, N: number, F: number): void;
  /** dh[N, 2F] (overwritten): d gate = dy * lin * gelu'(gate), d lin = dy * gelu(gate). */
  gatedGeluBackward(dh: Float32Array, dy: Float32Array, h: Float32Array, N: number, F: number): void;

  /** bias[H, Tq, Tk] = table[buckets[i * Tk + j], h]: T5's relative position bias from relative_attention_bias [buckets, H]. */
  relativeBiasForward(
    bias: Float32Array,
    table: Float32Array,
    buckets: Int32Array,
    Tq: number,
    Tk: number,
    H: number,
  ): void;
  /** dtable[buckets[i * Tk + j], h] += sum over b of dscores[b, h, i, j]. */
  relativeBiasBackward(
    dtable: Float32Array,
    dscores: Float32Array,
    buckets: Int32Array,
    B: number,
    Tq: number,
    Tk: number,
    H: number,
  ): void;

  /**
   * out[B, Tq, H * D] = dropout(softmax(q k^T * scale + bias + mask)) v per head, bias[H, Tq, Tk] shared by the batch
   * (or [B, H, Tq, Tk] with s.biasPerRow; or null), mask[B, Tq, Tk] additive (or null); saves probs[B, H, Tq, Tk]
   * (before dropout). See AttentionShape.
   */
  biasedAttentionForward(
    out: Float32Array,
    probs: Float32Array,
    q: Float32Array,
    kv: Float32Array,
    bias: Float32Array | null,
    mask: Float32Array | null,
    s: AttentionShape,
    dropout?: AttentionDropout,
  ): void;
  /**
   * dq (its H * D head columns) and dkv (k and v columns) overwritten from dout[B, Tq, H * D], the forward's q, kv,
   * probs and dropout; dscores[B, H, Tq, Tk] (or null) receives d loss / d scores, the bias's gradient before the sum over b.
   */
  biasedAttentionBackward(
    dq: Float32Array,
    dkv: Float32Array,
    dscores: Float32Array | null,
    dout: Float32Array,
    q: Float32Array,
    kv: Float32Array,
    probs: Float32Array,
    s: AttentionShape,
    dropout?: AttentionDropout,
  ): void;

  /**
   * Fused softmax + cross-entropy over rows of logits[N, V] with targets[N] (rows whose target is -100 are skipped).
   * Returns the summed loss over counted rows; overwrites logits with dlogits = (softmax - onehot) * gradScale
   * (zero for skipped rows). The caller divides by the count for a mean and passes gradScale = 1 / count.
   */
  crossEntropy(logits: Float32Array, targets: Int32Array, N: number, V: number, gradScale: number): number;

  /**
   * out[m] = a draw from softmax(logits[m] / temperature) by inverse CDF, one uniform[m] in [0, 1) per row of
   * logits[M, V]: the first v whose cumulative weight exceeds uniform[m] times the row's total (V - 1 if rounding
   * leaves none). ELECTRA's generator samples; logits are left unchanged.
   */
  softmaxSample(
    out: Int32Array,
    logits: Float32Array,
    uniform: Float32Array,
    M: number,
    V: number,
    temperature: number,
  ): void;

  /** out[N, C] (=|+=) table[ids[n], :]. */
  embeddingForward(
    out: Float32Array,
    table: Float32Array,
    ids: Int32Array,
    N: number,
    C: number,
    accumulate: boolean,
  ): void;
  /** dtable[ids[n], :] += dout[n, :]. */
  embeddingBackward(dtable: Float32Array, dout: Float32Array, ids: Int32Array, N: number, C: number): void;

  /** out[M, C] = x[idx[m], :]. */
  gatherRows(out: Float32Array, x: Float32Array, idx: Int32Array, M: number, C: number): void;
  /** dx[idx[m], :] += dout[m, :]. */
  scatterAddRows(dx: Float32Array, dout: Float32Array, idx: Int32Array, M: number, C: number): void;

  /** y[n] = a[n] + b[n] (y may alias a or b). */
  add(y: Float32Array, a: Float32Array, b: Float32Array, n: number): void;
  /** x[n] *= s. */
  scale(x: Float32Array, n: number, s: number): void;
  /** sum of x[n]^2 (for gradient clipping), accumulated in f64. */
  sumSquares(x: Float32Array, n: number): number;

  /** Inverted dropout: y = x * keep / (1 - p), keep[n] in {0, 1} drawn from rng; p = 0 copies x and sets keep = 1. */
  dropoutForward(y: Float32Array, keep: Uint8Array, x: Float32Array, n: number, p: number, rng: Rng): void;
  /** dx (=|+=) dy * keep / (1 - p). */
  dropoutBackward(
    dx: Float32Array,
    dy: Float32Array,
    keep: Uint8Array,
    n: number,
    p: number,
    accumulate: boolean,
  ): void;

  /** One AdamW step (PyTorch semantics, decoupled weight decay, bias-corrected; `step` counts from 1). */
  adamw(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
  ): void;

  /** Release workers and memory (wasm); a no-op for the reference engine. */
  dispose(): void;
}

/**
 * The dropout keep mask every engine and model draws, in TypeScript, so one Rng gives one mask whatever the engine:
 * keep[i] = 0 with probability p (one rng.float() per element, in order), else 1. p = 0 draws nothing.
 */
export function drawKeepMask(keep: Uint8Array, n: number, p: number, rng: Rng): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${p}`);
  if (p === 0) {
    keep.fill(1, 0, n);
    return;
  }
  for (let i = 0; i < n; i++) keep[i] = rng.float() < p ? 0 : 1;
}
