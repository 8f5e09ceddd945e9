// Exact-span accuracy of a sequence-to-sequence model under teacher forcing. A span-corruption target row is
// <s0> span <s1> span ... eos with the sentinels s_k = V - 1 - k in order (its first label is V - 1); a span is
// right when the argmax at every position after its sentinel, through the token that closes it (the next
// sentinel, or the row's last label: eos), equals the label: the model writes the whole span and then stops. Any
// other row (prefix-lm, bart-infilling: no sentinels) is one span, all of its labelled positions. In src/model so a
// model family's validation figures can use it.

export interface SpanAccuracy {
  spans: number;
  exact: number;
  /** labelled positions and how many of them the argmax got right (token accuracy) */
  tokens: number;
  correct: number;
}

/** Adds the counts of logits[B*T, V] against labels[B*T] (-100 = unlabelled) to `acc`. */
export function addSpanAccuracy(
  acc: SpanAccuracy,
  logits: Float32Array,
  labels: Int32Array,
  B: number,
  T: number,
  V: number,
): SpanAccuracy {
  for (let b = 0; b < B; b++) {
    const row: { sentinel: boolean; hit: boolean }[] = [];
    let next = -1; // the next sentinel id expected in this row, once its first label is V - 1
    for (let t = 0; t < T; t++) {
      const label = labels[b * T + t];
      if (label === -100) continue;
      if (row.length === 0 && label === V - 1) next = V - 1;
      const sentinel = next >= 0 && label === next;
      if (sentinel) next--;
      row.push({ sentinel, hit: argmax(logits, (b * T + t) * V, V) === label });
    }
    acc.tokens += row.length;
    acc.correct += row.filter((r) => r.hit).length;
    const starts = row.flatMap((r, i) => (r.sentinel ? [i] : []));
    if (starts.length === 0 && row.length > 0) {
      acc.spans++;
      if (row.every((r) => r.hit)) acc.exact++;
    }
    starts.forEach((s, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : row.length - 1; // inclusive: the closing token
      if (end <= s) return; // a sentinel with nothing after it
      acc.spans++;
      if (row.slice(s + 1, end + 1).every((r) => r.hit)) acc.exact++;
    });
  }
  return acc;
}

function argmax(x: Float32Array, at: number, V: number): number {
  let best = 0;
  for (let v = 1; v < V; v++) if (x[at + v] > x[at + best]) best = v;
  return best;
}
