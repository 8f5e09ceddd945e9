// ELECTRA's heads, forward and backward side by side (HF modeling_electra.py): the generator's
// ElectraGeneratorPredictions (dense H -> E, gelu, LayerNorm) + generator_lm_head tied to the word embeddings, and the
// discriminator's ElectraDiscriminatorPredictions (dense H -> H, gelu, dense_prediction H -> 1). Plus the two pieces
// of math around them: sigmoid BCE over real tokens, and Gumbel-max sampling (google-research/electra
// pretrain_helpers.sample_from_softmax).
import type { Engine } from '../engine/engine.js';
import type { Tensor } from './parameters.js';

export interface GeneratorHeadParams {
  denseW: Tensor; // [E, H] generator_predictions.dense
  denseB: Tensor; // [E]
  lnW: Tensor; // [E] generator_predictions.LayerNorm
  lnB: Tensor;
  decoderW: Tensor; // [V, E] tied: the word embeddings
  bias: Tensor; // [V] generator_lm_head.bias
}

export interface GeneratorHeadActs {
  rows: Int32Array; // [M] flat positions b*T+t predicted (duplicates allowed)
  targets: Int32Array; // [M]
  x: Float32Array; // [M, H] gathered hidden rows
  dx: Float32Array; // [M, H]
  dense: Float32Array; // [M, E]
  gelu: Float32Array; // [M, E]
  ln: Float32Array; // [M, E]
  mean: Float32Array; // [M]
  rstd: Float32Array; // [M]
  d1: Float32Array; // [M, E]
  d2: Float32Array; // [M, E]
  logits: Float32Array; // [M, V], then dlogits
}

export function allocGeneratorHeadActs(e: Engine, M: number, H: number, E: number, V: number): GeneratorHeadActs {
  return {
    rows: e.allocInt(M),
    targets: e.allocInt(M),
    x: e.alloc(M * H),
    dx: e.alloc(M * H),
    dense: e.alloc(M * E),
    gelu: e.alloc(M * E),
    ln: e.alloc(M * E),
    mean: e.alloc(M),
    rstd: e.alloc(M),
    d1: e.alloc(M * E),
    d2: e.alloc(M * E),
    logits: e.alloc(M * V),
  };
}

/** logits[M, V] = decoder(LayerNorm(gelu(dense(hidden[rows])))) + bias. */
export function generatorHeadForward(
  e: Engine,
  P: GeneratorHeadParams,
  A: GeneratorHeadActs,
  hidden: Float32Array,
  M: number,
  H: number,
  E: number,
  V: number,
  eps: number,
): void {
  e.gatherRows(A.x, hidden, A.rows, M, H);
  e.linearForward(A.dense, A.x, P.denseW.data, P.denseB.data, M, H, E);
  e.geluForward(A.gelu, A.dense, M * E, 'erf');
  e.layerNormForward(A.ln, A.mean, A.rstd, A.gelu, P.lnW.data, P.lnB.data, M, E, eps);
  e.linearForward(A.logits, A.ln, P.decoderW.data, P.bias.data, M, E, V);
}

/** dlogits in A.logits -> dHidden[rows] += ... (dHidden [N, H], zeroed by the caller). */
export function generatorHeadBackward(
  e: Engine,
  P: GeneratorHeadParams,
  A: GeneratorHeadActs,
  dHidden: Float32Array,
  M: number,
  H: number,
  E: number,
  V: number,
): void {
  e.linearBackward(A.d1, P.decoderW.grad, P.bias.grad, A.logits, A.ln, P.decoderW.data, M, E, V, false);
  e.layerNormBackward(A.d2, P.lnW.grad, P.lnB.grad, A.d1, A.gelu, A.mean, A.rstd, P.lnW.data, M, E, false);
  e.geluBackward(A.d1, A.d2, A.dense, M * E, 'erf', false);
  e.linearBackward(A.dx, P.denseW.grad, P.denseB.grad, A.d1, A.x, P.denseW.data, M, H, E, false);
  e.scatterAddRows(dHidden, A.dx, A.rows, M, H);
}

export interface DiscriminatorHeadParams {
  denseW: Tensor; // [H, H] discriminator_predictions.dense
  denseB: Tensor; // [H]
  predW: Tensor; // [1, H] discriminator_predictions.dense_prediction
  predB: Tensor; // [1]
}

export interface DiscriminatorHeadActs {
  dense: Float32Array; // [N, H]
  gelu: Float32Array; // [N, H]
  d1: Float32Array; // [N, H]
  d2: Float32Array; // [N, H]
  logits: Float32Array; // [N]
  dlogits: Float32Array; // [N]
}

export function allocDiscriminatorHeadActs(e: Engine, N: number, H: number): DiscriminatorHeadActs {
  return {
    dense: e.alloc(N * H),
    gelu: e.alloc(N * H),
    d1: e.alloc(N * H),
    d2: e.alloc(N * H),
    logits: e.alloc(N),
    dlogits: e.alloc(N),
  };
}

/** logits[N] = dense_prediction(gelu(dense(hidden))), one per token. */
export function discriminatorHeadForward(
  e: Engine,
  P: DiscriminatorHeadParams,
  A: DiscriminatorHeadActs,
  hidden: Float32Array,
  N: number,
  H: number,
): void {
  e.linearForward(A.dense, hidden, P.denseW.data, P.denseB.data, N, H, H);
  e.geluForward(A.gelu, A.dense, N * H, 'erf');
  e.linearForward(A.logits, A.gelu, P.predW.data, P.predB.data, N, H, 1);
}

/** A.dlogits -> dHidden [N, H] (overwritten). */
export function discriminatorHeadBackward(
  e: Engine,
  P: DiscriminatorHeadParams,
  A: DiscriminatorHeadActs,
  dHidden: Float32Array,
  hidden: Float32Array,
  N: number,
  H: number,
): void {
  e.linearBackward(A.d1, P.predW.grad, P.predB.grad, A.dlogits, A.gelu, P.predW.data, N, H, 1, false);
  e.geluBackward(A.d2, A.d1, A.dense, N * H, 'erf', false);
  e.linearBackward(dHidden, P.denseW.grad, P.denseB.grad, A.d2, hidden, P.denseW.data, N, H, H, false);
}

/**
 * Mean sigmoid BCE over the tokens where real[n] = 1 (nn.BCEWithLogitsLoss on HF's active tokens), in f64:
 * softplus(x) - y x. dlogits[n] = weight (sigmoid(x) - y) / count at real tokens, 0 elsewhere. Returns the mean and count.
 */
export function bceWithLogits(
  logits: Float32Array,
  labels: ArrayLike<number>,
  real: ArrayLike<number> | undefined,
  N: number,
  weight: number,
  dlogits: Float32Array,
): { loss: number; count: number } {
  let count = 0;
  for (let n = 0; n < N; n++) if (real === undefined || real[n] !== 0) count++;
  let sum = 0;
  for (let n = 0; n < N; n++) {
    if (real !== undefined && real[n] === 0) {
      dlogits[n] = 0;
      continue;
    }
    const x = logits[n];
    const y = labels[n];
    sum += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    dlogits[n] = (weight * (1 / (1 + Math.exp(-x)) - y)) / count;
  }
  return { loss: count > 0 ? sum / count : 0, count };
}

/**
 * Gumbel-max: out[m] = argmax_v(logits[m, v] / temperature - log(-log(u[m, v] + 1e-9) + 1e-9)), u uniform in [0, 1)
 * (ELECTRA's sample_from_softmax, the same 1e-9s); the first index on ties, as tf.argmax. A sample from
 * softmax(logits / temperature) per row.
 */
export function gumbelArgmax(
  logits: Float32Array,
  uniform: ArrayLike<number>,
  M: number,
  V: number,
  temperature: number,
  out: Int32Array,
): void {
  for (let m = 0; m < M; m++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let v = 0; v < V; v++) {
      const i = m * V + v;
      const value = logits[i] / temperature - Math.log(-Math.log(uniform[i] + 1e-9) + 1e-9);
      if (value > bestValue) {
        bestValue = value;
        best = v;
      }
    }
    out[m] = best;
  }
}
