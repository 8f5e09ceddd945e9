import type { Floats } from './floats.js';

// LayerNorm over the last axis with biased variance (torch.nn.LayerNorm). Backward as in llm.c:
//   dx = rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)), dnorm = dy * gamma, norm = (x - mean) * rstd.

// y[N, C] = (x - mean) * rstd * gamma + beta; saves mean[N], rstd[N].
export function layerNormForward(
  y: Floats,
  mean: Floats,
  rstd: Floats,
  x: Floats,
  gamma: Floats,
  beta: Floats,
  N: number,
  C: number,
  eps: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += x[o + c];
    const m = sum / C;
    let sq = 0;
    for (let c = 0; c < C; c++) sq += (x[o + c] - m) * (x[o + c] - m);
    const r = 1 / Math.sqrt(sq / C + eps);
    for (let c = 0; c < C; c++) y[o + c] = (x[o + c] - m) * r * gamma[c] + beta[c];
    mean[n] = m;
    rstd[n] = r;
  }
}

// dx[N, C] (=|+=) from dy[N, C]; dgamma[C] += sum over n of dy * norm; dbeta[C] += sum over n of dy.
export function layerNormBackward(
  dx: Floats,
  dgamma: Floats,
  dbeta: Floats,
  dy: Floats,
  x: Floats,
  mean: Floats,
  rstd: Floats,
  gamma: Floats,
  N: number,
  C: number,
  accumulate: boolean,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    const m = mean[n];
    const r = rstd[n];
    let dnormMean = 0;
    let dnormNormMean = 0;
    for (let c = 0; c < C; c++) {
      const dnorm = dy[o + c] * gamma[c];
      dnormMean += dnorm;
      dnormNormMean += dnorm * (x[o + c] - m) * r;
    }
    dnormMean /= C;
    dnormNormMean /= C;
    for (let c = 0; c < C; c++) {
      const norm = (x[o + c] - m) * r;
      const g = r * (dy[o + c] * gamma[c] - dnormMean - norm * dnormNormMean);
      dx[o + c] = accumulate ? dx[o + c] + g : g;
      dgamma[c] += dy[o + c] * norm;
      dbeta[c] += dy[o + c];
    }
  }
}
