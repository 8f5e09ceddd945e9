// Metrics over model outputs: argmax, masked-token accuracy, perplexity, softmax top-k. Pure, f64 sums.

/** Index of the largest of row r of x[rows, V] (the first on ties). */
export function argmaxRow(x: Float32Array, r: number, V: number): number {
  const o = r * V;
  let best = 0;
  for (let v = 1; v < V; v++) if (x[o + v] > x[o + best]) best = v;
  return best;
}

/** Rows of logits[M, V] whose argmax equals the label at flat position rows[m] of labels. */
export function correctPredictions(logits: Float32Array, rows: Int32Array, labels: Int32Array, V: number): number {
  let n = 0;
  for (let m = 0; m < rows.length; m++) if (argmaxRow(logits, m, V) === labels[rows[m]]) n++;
  return n;
}

/** exp(mean cross-entropy in nats). */
export const perplexity = (meanLoss: number): number => Math.exp(meanLoss);

/** softmax(logits[row] / temperature) into out[V] (f64), max-subtracted. */
export function softmaxRow(logits: Float32Array, row: number, V: number, out: Float64Array, temperature = 1): Float64Array {
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
