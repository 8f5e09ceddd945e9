// Linear probes: a frozen model's pooled features -> multinomial logistic regression, on a split by group
// (document) seeded and stratified; beside it the majority class, a bag-of-words logistic regression on the same
// split, and any baseline the caller scored (e.g. a sentiment lexicon).
import { ensure } from '../errors.js';
import type { Model } from '../model/index.js';
import { fitBagOfWords } from './bag-of-words.js';
import { classScores, majorityClass, splitByGroup, type ClassScores } from './classification.js';
import { embedRows, type OnProgress, type Pooling } from './embed.js';
import type { DenseFeatures, FeatureMatrix } from './features.js';
import { fitLogistic, predictLogistic } from './logistic-regression.js';
import { hashString } from '../rng/rng.js';

/** Labelled items: the text (for bag of words) and the model's row of token ids for each, grouped for the split. */
export interface ProbeItems {
  texts: string[];
  /** model input ids, special tokens included */
  rows: Int32Array[];
  labels: number[];
  /** items of one group (document) stay on one side of the split */
  groups: string[];
  classNames: string[];
}

export interface ProbeSettings {
  pooling: Pooling;
  seed: number;
  /** share of each label's groups held out for testing */
  testFraction: number;
  /** sklearn's C of every logistic regression here; undefined = chosen per model from C_GRID on an inner split */
  C?: number;
}

/** A baseline the caller scored for every item (same order as the items). */
export interface ExternalBaseline {
  name: string;
  note: string;
  predicted: ArrayLike<number>;
}

export interface ProbeResult {
  pooling: Pooling;
  classes: string[];
  split: {
    seed: number;
    testFraction: number;
    trainItems: number;
    testItems: number;
    trainGroups: number;
    testGroups: number;
  };
  logistic: { features: string; selection: string };
  probe: ClassScores & { C: number; iterations: number; converged: boolean; trainAccuracy: number };
  baselines: Record<string, ClassScores & { note: string; C?: number }>;
}

/** Probe `model` on the items; onProgress counts embedded items. */
export function runProbe(
  model: Model,
  items: ProbeItems,
  s: ProbeSettings,
  padId: number,
  extra: ExternalBaseline[] = [],
  onProgress?: OnProgress,
): ProbeResult {
  const n = items.labels.length;
  ensure(
    items.rows.length === n && items.texts.length === n && items.groups.length === n,
    'probe: items of unequal lengths',
  );
  const K = items.classNames.length;
  const split = splitByGroup(items.groups, items.labels, s.seed, s.testFraction);
  const yTrain = split.train.map((i) => items.labels[i]);
  const yTest = split.test.map((i) => items.labels[i]);
  const features = embedRows(model, items.rows, s.pooling, padId, onProgress);
  const train = features.select(split.train) as DenseFeatures;
  const trainGroups = split.train.map((i) => items.groups[i]);
  const fitted = fitAndScore(
    train.standardized(train),
    (features.select(split.test) as DenseFeatures).standardized(train),
    yTrain,
    yTest,
    trainGroups,
    K,
    s,
  );
  const bowScores = bagOfWordsScores(items, split, yTrain, yTest, trainGroups, K, s);
  const majority = majorityClass(yTrain);
  const baselines: ProbeResult['baselines'] = {
    majority: {
      ...classScores(
        yTest,
        yTest.map(() => majority),
      ),
      note: `always "${items.classNames[majority]}", the most frequent training label`,
    },
    bagOfWords: {
      accuracy: bowScores.accuracy,
      macroF1: bowScores.macroF1,
      C: bowScores.C,
      note: `logistic regression on ${bowScores.features} word features, log(1 + count), unit L2 rows`,
    },
  };
  for (const b of extra)
    baselines[b.name] = {
      ...classScores(
        yTest,
        split.test.map((i) => b.predicted[i]),
      ),
      note: b.note,
    };
  const groupsOf = (idx: number[]) => new Set(idx.map((i) => items.groups[i])).size;
  return {
    pooling: s.pooling,
    classes: items.classNames,
    split: {
      seed: s.seed,
      testFraction: s.testFraction,
      trainItems: split.train.length,
      testItems: split.test.length,
      trainGroups: groupsOf(split.train),
      testGroups: groupsOf(split.test),
    },
    logistic: {
      features: 'probe: pooled hidden states, standardised by the training mean and std',
      selection:
        s.C === undefined
          ? `C per model from ${C_GRID.join(', ')} by accuracy on a grouped 20% of the training side, then refit on all of it`
          : `C fixed at ${s.C}`,
    },
    probe: fitted,
    baselines,
  };
}

// The bag-of-words baseline depends on the items and the split only, not on the model: a comparison probes many
// models on the same items, so the last few results are kept, keyed by the items' content and the settings.
type BowScores = ReturnType<typeof fitAndScore> & { features: number };
const bowMemo = new Map<string, BowScores>();
const BOW_MEMO_SIZE = 4;

function bagOfWordsScores(
  items: ProbeItems,
  split: { train: number[]; test: number[] },
  yTrain: number[],
  yTest: number[],
  trainGroups: string[],
  K: number,
  s: ProbeSettings,
): BowScores {
  const key = `${s.seed}|${s.testFraction}|${s.C}|${K}|${contentHash(items)}`;
  const hit = bowMemo.get(key);
  if (hit) return hit;
  const bow = fitBagOfWords(split.train.map((i) => items.texts[i]));
  const scores = {
    ...fitAndScore(
      bow.featurize(split.train.map((i) => items.texts[i])),
      bow.featurize(split.test.map((i) => items.texts[i])),
      yTrain,
      yTest,
      trainGroups,
      K,
      s,
    ),
    features: bow.vocabulary.size,
  };
  if (bowMemo.size >= BOW_MEMO_SIZE) bowMemo.delete(bowMemo.keys().next().value as string);
  bowMemo.set(key, scores);
  return scores;
}

// The items' texts, labels and groups as one FNV-1a hash (with the count beside it).
function contentHash(items: ProbeItems): string {
  const text = items.texts.map((t, i) => `${t}\u0000${items.labels[i]}\u0000${items.groups[i]}`).join('\u0001');
  return `${items.texts.length}:${hashString(text).toString(16)}`;
}

/** The C values tried when none is given (sklearn's C: inverse L2 strength). */
export const C_GRID = [0.01, 0.1, 1, 10, 100];

// C (given, or the grid's best on an inner grouped split of train; ties: the smaller), then fit on train, score on test.
function fitAndScore(
  train: FeatureMatrix,
  test: FeatureMatrix,
  yTrain: number[],
  yTest: number[],
  trainGroups: string[],
  K: number,
  s: ProbeSettings,
) {
  let C = s.C;
  if (C === undefined) {
    const inner = splitByGroup(trainGroups, yTrain, s.seed, 0.2, 'probe-c');
    const fitX = train.select(inner.train);
    const valX = train.select(inner.test);
    const yFit = inner.train.map((i) => yTrain[i]);
    const yVal = inner.test.map((i) => yTrain[i]);
    const scored = C_GRID.map(
      (c) => classScores(yVal, predictLogistic(fitLogistic(fitX, yFit, K, { C: c }), valX)).accuracy,
    );
    C = C_GRID[scored.indexOf(Math.max(...scored))];
  }
  const m = fitLogistic(train, yTrain, K, { C });
  const trainAccuracy = classScores(yTrain, predictLogistic(m, train)).accuracy;
  return {
    ...classScores(yTest, predictLogistic(m, test)),
    C,
    iterations: m.iterations,
    converged: m.converged,
    trainAccuracy,
  };
}
