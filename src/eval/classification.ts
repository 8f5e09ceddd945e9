// Classification figures and the seeded split of a labelled set by group (document), shared by the probes.
import { ensure } from '../errors.js';
import { Rng } from '../rng/rng.js';

export interface ClassScores {
  accuracy: number;
  /** mean F1 over the classes present in the true or predicted labels (sklearn f1_score average='macro') */
  macroF1: number;
}

/** Accuracy and macro-F1 of `predicted` against `truth`. */
export function classScores(truth: ArrayLike<number>, predicted: ArrayLike<number>): ClassScores {
  ensure(
    truth.length === predicted.length && truth.length > 0,
    `scores: ${truth.length} labels, ${predicted.length} predictions`,
  );
  const tp = new Map<number, number>();
  const count = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  const inTruth = new Map<number, number>();
  const inPredicted = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    count(inTruth, truth[i]);
    count(inPredicted, predicted[i]);
    if (truth[i] === predicted[i]) {
      correct++;
      count(tp, truth[i]);
    }
  }
  const classes = new Set([...inTruth.keys(), ...inPredicted.keys()]);
  let f1 = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    f1 += t === 0 ? 0 : (2 * t) / ((inTruth.get(c) ?? 0) + (inPredicted.get(c) ?? 0));
  }
  return { accuracy: correct / truth.length, macroF1: f1 / classes.size };
}

/** The most frequent label of `labels` (the lower on ties). */
export function majorityClass(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  let best = -1;
  for (const [c, n] of counts)
    if (best < 0 || n > (counts.get(best) as number) || (n === counts.get(best) && c < best)) best = c;
  return best;
}

export interface GroupSplit {
  train: number[];
  test: number[];
}

/**
 * Items split by group (a document: all its chunks on one side), stratified by the group's label: within each label
 * the groups are shuffled by (seed, 'probe-split') and round(testFraction * count) of them, at least 1 when the label
 * has 2 groups or more, go to test. Items keep their order within each side. `purpose` keys the stream (an inner
 * split of the training side uses its own).
 */
export function splitByGroup(
  groups: readonly string[],
  labels: ArrayLike<number>,
  seed: number,
  testFraction: number,
  purpose = 'probe-split',
): GroupSplit {
  ensure(testFraction > 0 && testFraction < 1, `test fraction must be in (0, 1), got ${testFraction}`);
  const labelOf = new Map<string, number>();
  groups.forEach((g, i) => labelOf.set(g, labels[i]));
  const byLabel = new Map<number, string[]>();
  for (const [g, y] of labelOf) byLabel.set(y, [...(byLabel.get(y) ?? []), g]);
  const testGroups = new Set<string>();
  const rng = Rng.of(seed, 0, 0, purpose);
  for (const y of [...byLabel.keys()].sort((a, b) => a - b)) {
    const gs = byLabel.get(y) as string[];
    const order = rng.sample(gs.length, gs.length);
    const k = gs.length < 2 ? 0 : Math.max(1, Math.round(testFraction * gs.length));
    for (const i of order.slice(0, k)) testGroups.add(gs[i]);
  }
  const split: GroupSplit = { train: [], test: [] };
  groups.forEach((g, i) => (testGroups.has(g) ? split.test : split.train).push(i));
  ensure(
    split.train.length > 0 && split.test.length > 0,
    `probe split: ${split.train.length} train and ${split.test.length} test items (need both)`,
  );
  return split;
}
