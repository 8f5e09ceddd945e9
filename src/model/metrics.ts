// Prediction counts over a head's logits, for the validation figures a model family reports (and src/eval).

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
