// The bag-of-words baseline of the probes: lower-cased words (letters, digits, inner apostrophes), a vocabulary of
// the words in at least 2 training texts (at most 20,000, most frequent first), value log(1 + count), rows scaled
// to unit L2 norm. Fitted on the training texts only, so test words unseen in training are dropped.
import { SparseFeatures } from './features.js';

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;

/** "Don't stop, 2 cats!" -> ["don't", "stop", "2", "cats"]. */
export const words = (text: string): string[] => text.toLowerCase().match(WORD) ?? [];

export interface BagOfWords {
  vocabulary: Map<string, number>;
  featurize(texts: readonly string[]): SparseFeatures;
}

/** The vocabulary of `train` (min 2 documents, at most maxWords) and its featurizer. */
export function fitBagOfWords(train: readonly string[], maxWords = 20000): BagOfWords {
  const df = new Map<string, number>();
  for (const t of train) for (const w of new Set(words(t))) df.set(w, (df.get(w) ?? 0) + 1);
  const kept = [...df]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxWords);
  const vocabulary = new Map(kept.map(([w], i) => [w, i]));
  return { vocabulary, featurize: (texts) => featurize(texts, vocabulary) };
}

function featurize(texts: readonly string[], vocabulary: Map<string, number>): SparseFeatures {
  const ptr = new Int32Array(texts.length + 1);
  const index: number[] = [];
  const values: number[] = [];
  texts.forEach((t, i) => {
    const counts = new Map<number, number>();
    for (const w of words(t)) {
      const j = vocabulary.get(w);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const cols = [...counts.keys()].sort((a, b) => a - b);
    const v = cols.map((j) => Math.log1p(counts.get(j) as number));
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    cols.forEach((j, k) => {
      index.push(j);
      values.push(v[k] / norm);
    });
    ptr[i + 1] = index.length;
  });
  return new SparseFeatures(ptr, Int32Array.from(index), Float64Array.from(values), vocabulary.size);
}
