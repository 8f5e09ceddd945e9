import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitBagOfWords, words } from './bag-of-words.js';
import { classScores, majorityClass, splitByGroup } from './classification.js';
import { DenseFeatures, SparseFeatures } from './features.js';
import { fitLogistic, predictLogistic } from './logistic-regression.js';

const golden = JSON.parse(
  readFileSync(new URL('../../test/fixtures/goldens/logreg.json', import.meta.url), 'utf8'),
) as {
  X: number[][];
  y: number[];
  classes: number;
  cases: {
    C: number;
    coef: number[][];
    intercept: number[];
    optimum: number[];
    sklearnDistance: number;
    predicted: number[];
    accuracy: number;
    macroF1: number;
  }[];
  f1: { truth: number[]; predicted: number[]; macroF1: number; accuracy: number };
};

const dense = (rows: number[][]) => new DenseFeatures(Float64Array.from(rows.flat()), rows.length, rows[0].length);
// The same matrix in CSR form (zeros dropped).
function sparse(rows: number[][]): SparseFeatures {
  const ptr = [0];
  const index: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => v !== 0 && (index.push(j), values.push(v)));
    ptr.push(index.length);
  }
  return new SparseFeatures(Int32Array.from(ptr), Int32Array.from(index), Float64Array.from(values), rows[0].length);
}

describe('logistic regression', () => {
  it('matches sklearn LogisticRegression(multinomial, lbfgs) and the polished optimum at three C (tools/check-logreg.py)', () => {
    for (const c of golden.cases) {
      const m = fitLogistic(dense(golden.X), golden.y, golden.classes, { C: c.C, tol: 1e-9, maxIter: 5000 });
      const theta = [...m.W, ...m.b];
      // the optimum scipy polished to a gradient < 1e-9
      for (let j = 0; j < theta.length; j++) expect(Math.abs(theta[j] - c.optimum[j])).toBeLessThan(1e-6);
      // sklearn stops early (scipy's ftol, gradient ~1e-5): as close to it as its own distance from the optimum
      const sk = [...c.coef.flat(), ...c.intercept];
      expect(c.sklearnDistance).toBeLessThan(1e-3);
      for (let j = 0; j < theta.length; j++) expect(Math.abs(theta[j] - sk[j])).toBeLessThan(c.sklearnDistance + 1e-6);
      const predicted = predictLogistic(m, dense(golden.X));
      expect(Array.from(predicted)).toEqual(c.predicted);
      const s = classScores(golden.y, predicted);
      expect(s.accuracy).toBeCloseTo(c.accuracy, 12);
      expect(s.macroF1).toBeCloseTo(c.macroF1, 12);
    }
  });

  it('dense and sparse features give the same fit', () => {
    const X = golden.X.map((r) => r.map((v) => (Math.abs(v) < 0.5 ? 0 : v)));
    const a = fitLogistic(dense(X), golden.y, 3, { C: 1 });
    const b = fitLogistic(sparse(X), golden.y, 3, { C: 1 });
    expect(b.iterations).toBe(a.iterations);
    for (let j = 0; j < a.W.length; j++) expect(b.W[j]).toBeCloseTo(a.W[j], 10);
  });

  it('separable data: accuracy 1.0 on held-out points', () => {
    // class k lives around 4 * e_k in 4 dimensions, noise 0.5: separable by a wide margin
    const point = (k: number, i: number) =>
      [0, 1, 2, 3].map((j) => (j === k ? 4 : 0) + 0.5 * Math.sin(7 * i + 3 * j + k));
    const train = Array.from({ length: 80 }, (_, i) => point(i % 4, i));
    const test = Array.from({ length: 40 }, (_, i) => point(i % 4, 1000 + i));
    const m = fitLogistic(
      dense(train),
      train.map((_, i) => i % 4),
      4,
    );
    expect(
      classScores(
        test.map((_, i) => i % 4),
        predictLogistic(m, dense(test)),
      ),
    ).toEqual({ accuracy: 1, macroF1: 1 });
  });

  it('bad labels are one-line errors', () => {
    expect(() => fitLogistic(dense([[1], [2]]), [0, 2], 2)).toThrow('label 2 outside [0, 2)');
    expect(() => fitLogistic(dense([[1], [2]]), [0], 2)).toThrow('1 labels for 2 rows');
  });
});

describe('classification helpers', () => {
  it('macro-F1 over the classes in truth or prediction, as sklearn', () => {
    const s = classScores(golden.f1.truth, golden.f1.predicted);
    expect(s.macroF1).toBeCloseTo(golden.f1.macroF1, 12);
    expect(s.accuracy).toBeCloseTo(golden.f1.accuracy, 12);
    expect(majorityClass([2, 1, 1, 2, 0])).toBe(1); // tie: the lower label
  });

  it('split by group: a group never straddles, each label keeps a test group, same seed same split', () => {
    const groups = Array.from({ length: 200 }, (_, i) => `d${Math.floor(i / 4)}`); // 50 groups of 4
    const labels = groups.map((g) => Number(g.slice(1)) % 5);
    const a = splitByGroup(groups, labels, 7, 0.2);
    const testGroups = new Set(a.test.map((i) => groups[i]));
    expect(a.train.some((i) => testGroups.has(groups[i]))).toBe(false);
    expect(testGroups.size).toBe(10); // 2 of each label's 10 groups
    expect(new Set(a.test.map((i) => labels[i])).size).toBe(5);
    expect(splitByGroup(groups, labels, 7, 0.2)).toEqual(a);
    expect(splitByGroup(groups, labels, 8, 0.2).test).not.toEqual(a.test);
    expect(() => splitByGroup(['a', 'b'], [0, 1], 0, 0.5)).toThrow('0 test items');
  });

  it('bag of words: words seen in 2 training texts, log counts, unit rows', () => {
    expect(words("Don't stop, 2 cats!")).toEqual(["don't", 'stop', '2', 'cats']);
    const bow = fitBagOfWords(['the cat sat', 'the cat ran', 'a dog']);
    expect([...bow.vocabulary.keys()]).toEqual(['cat', 'the']);
    const X = bow.featurize(['the the cat dog']);
    expect(Array.from(X.index)).toEqual([0, 1]);
    const v = [Math.log(2), Math.log(3)];
    const norm = Math.hypot(...v);
    expect(Array.from(X.values).map((x) => +x.toFixed(12))).toEqual(v.map((x) => +(x / norm).toFixed(12)));
  });
});
