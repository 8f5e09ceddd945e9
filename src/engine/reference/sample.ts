import type { Floats } from './floats.js';

// out[m] = a draw from softmax(logits[m] / temperature) by inverse CDF, one uniform[m] per row: the first v whose
// cumulative weight exceeds uniform[m] times the row's total, in f64 (V - 1 if rounding leaves none). Each row's
// weights are computed once and summed twice in the same order.
export function softmaxSample(
  out: Int32Array,
  logits: Floats,
  uniform: Floats,
  M: number,
  V: number,
  temperature: number,
): void {
  const weights = new Float64Array(V);
  for (let m = 0; m < M; m++) {
    const o = m * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (logits[o + v] > max) max = logits[o + v];
    let sum = 0;
    for (let v = 0; v < V; v++) {
      weights[v] = Math.exp((logits[o + v] - max) / temperature);
      sum += weights[v];
    }
    const target = uniform[m] * sum;
    let acc = 0;
    let pick = V - 1;
    for (let v = 0; v < V; v++) {
      acc += weights[v];
      if (acc > target) {
        pick = v;
        break;
      }
    }
    out[m] = pick;
  }
}
