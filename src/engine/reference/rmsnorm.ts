import type { Floats } from './floats.js';

// RMSNorm over the last axis (HF T5LayerNorm: variance = mean(x^2), no mean subtraction, no bias). Backward:
//   norm = x * rstd, dnorm = dy * gamma, dx = rstd * (dnorm - norm * mean(dnorm * norm)), dgamma += dy * norm.

// y[N, C] = x * rstd * gamma; saves rstd[N].
export function rmsNormForward(
  y: Floats,
  rstd: Floats,
  x: Floats,
  gamma: Floats,
  N: number,
  C: number,
  eps: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    let sq = 0;
    for (let c = 0; c < C; c++) sq += x[o + c] * x[o + c];
    const r = 1 / Math.sqrt(sq / C + eps);
    for (let c = 0; c < C; c++) y[o + c] = x[o + c] * r * gamma[c];
    rstd[n] = r;
  }
}

// dx[N, C] (=|+=) from dy[N, C]; dgamma[C] += sum over n of dy * norm.
export function rmsNormBackward(
  dx: Floats,
  dgamma: Floats,
  dy: Floats,
  x: Floats,
  rstd: Floats,
  gamma: Floats,
  N: number,
  C: number,
  accumulate: boolean,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    const r = rstd[n];
    let dnormNormMean = 0;
    for (let c = 0; c < C; c++) dnormNormMean += dy[o + c] * gamma[c] * x[o + c] * r;
    dnormNormMean /= C;
    for (let c = 0; c < C; c++) {
      const norm = x[o + c] * r;
      const g = r * (dy[o + c] * gamma[c] - norm * dnormNormMean);
      dx[o + c] = accumulate ? dx[o + c] + g : g;
      dgamma[c] += dy[o + c] * norm;
    }
  }
}
