// Replaced-token detection metrics (ELECTRA's discriminator), for the electra family's validation and src/eval:
// accuracy at logit 0, and the ROC AUC: the probability that a replaced token scores above an original one (ties
// count half; Mann-Whitney U / (n1 n0)).

/** Share of tokens whose logit > 0 agrees with the label (1 = replaced). */
export function rtdAccuracy(logits: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < logits.length; i++) if ((logits[i] > 0 ? 1 : 0) === labels[i]) hits++;
  return logits.length > 0 ? hits / logits.length : 0;
}

/** ROC AUC of scores for labels in {0, 1}; undefined when either class is absent. Example: [0.1, 0.9] / [0, 1] -> 1. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // average rank of a tie group, 1-based
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) positives++, (rankSum += rank);
    i = j + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
