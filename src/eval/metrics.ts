// Metrics over model outputs: argmax, masked-token accuracy, perplexity, softmax top-k. Pure, f64 sums.

export { argmaxRow, correctPredictions } from '../model/metrics.js';

/** exp(mean cross-entropy in nats). */
export const perplexity = (meanLoss: number): number => Math.exp(meanLoss);

/** softmax(logits[row] / temperature) into out[V] (f64), max-subtracted. */
export function softmaxRow(
  logits: Float32Array,
  row: number,
  V: number,
  out: Float64Array,
  temperature = 1,
): Float64Array {
  const o = row * V;
  let max = -Infinity;
  for (let v = 0; v < V; v++) max = Math.max(max, logits[o + v]);
  let sum = 0;
  for (let v = 0; v < V; v++) sum += out[v] = Math.exp((logits[o + v] - max) / temperature);
  for (let v = 0; v < V; v++) out[v] /= sum;
  return out;
}

/** The k largest entries of p, largest first (ties: lower id first). */
export function topK(p: ArrayLike<number>, k: number): { id: number; value: number }[] {
  const top: { id: number; value: number }[] = [];
  for (let id = 0; id < p.length; id++) {
    const value = p[id];
    if (top.length === k && value <= top[k - 1].value) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].value < value) at--;
    top.splice(at, 0, { id, value });
    if (top.length > k) top.pop();
  }
  return top;
}
