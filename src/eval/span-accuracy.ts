// Exact-span accuracy of a sequence-to-sequence model under teacher forcing. A target row is split at its sentinel
// labels (T5 span corruption: <s0> span <s1> span ... eos); a span is right when the argmax at every position
// after its sentinel, through the token that closes it (the next sentinel, or the row's last label: eos), equals
// the label: the model writes the whole span and then stops. A row without sentinels (prefix-lm, bart-infilling)
// is one span: all of its labelled positions.

export interface SpanAccuracy {
  spans: number;
  exact: number;
  /** labelled positions and how many of them the argmax got right (token accuracy) */
  tokens: number;
  correct: number;
}

/** Adds the counts of logits[B*T, V] against labels[B*T] (-100 = unlabelled) to `acc`; `isSentinel(id)` marks span openers. */
export function addSpanAccuracy(acc: SpanAccuracy, logits: Float32Array, labels: Int32Array, B: number, T: number, V: number, isSentinel: (id: number) => boolean): SpanAccuracy {
  for (let b = 0; b < B; b++) {
    const rows: { sentinel: boolean; hit: boolean }[] = [];
    for (let t = 0; t < T; t++) {
      const label = labels[b * T + t];
      if (label === -100) continue;
      rows.push({ sentinel: isSentinel(label), hit: argmax(logits, (b * T + t) * V, V) === label });
    }
    acc.tokens += rows.length;
    acc.correct += rows.filter((r) => r.hit).length;
    const starts = rows.flatMap((r, i) => (r.sentinel ? [i] : []));
    if (starts.length === 0 && rows.length > 0) {
      acc.spans++;
      if (rows.every((r) => r.hit)) acc.exact++;
    }
    starts.forEach((s, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : rows.length - 1; // inclusive: the closing token
      if (end <= s) return; // a sentinel with nothing after it
      acc.spans++;
      if (rows.slice(s + 1, end + 1).every((r) => r.hit)) acc.exact++;
    });
  }
  return acc;
}

function argmax(x: Float32Array, at: number, V: number): number {
  let best = 0;
  for (let v = 1; v < V; v++) if (x[at + v] > x[at + best]) best = v;
  return best;
}
