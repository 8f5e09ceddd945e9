// Multinomial logistic regression with an L2 penalty, fitted by full-batch L-BFGS from zero: the objective of sklearn's
// LogisticRegression(multinomial, lbfgs, C) divided by C n, so the optimum is the same (tools/check-logreg.py checks it):
//   f(W, b) = 1/n sum_i CE(softmax(W x_i + b), y_i) + 1/(2 C n) ||W||^2    (the intercept is not penalised)
// Convex with a unique optimum, so no seed is needed: zero init and full batches make every fit deterministic.
import { ensure } from '../errors.js';
import type { FeatureMatrix } from './features.js';

export interface LogisticOptions {
  /** inverse regularisation strength, as sklearn's C (default 1) */
  C?: number;
  /** L-BFGS iterations at most (default 500) */
  maxIter?: number;
  /** stop when the largest gradient entry is below this (default 1e-6) */
  tol?: number;
}

export interface LogisticModel {
  classes: number;
  /** [K, d] */
  W: Float64Array;
  /** [K] */
  b: Float64Array;
  iterations: number;
  /** the objective at the optimum */
  loss: number;
  converged: boolean;
}

/** Fit K-class logistic regression to X[n, d] and labels y[n] in [0, K). */
export function fitLogistic(X: FeatureMatrix, y: ArrayLike<number>, K: number, o: LogisticOptions = {}): LogisticModel {
  const { rows: n, cols: d } = X;
  ensure(n > 0 && y.length === n, `logistic regression: ${y.length} labels for ${n} rows`);
  for (let i = 0; i < n; i++)
    ensure(
      Number.isInteger(y[i]) && y[i] >= 0 && y[i] < K,
      () => `logistic regression: label ${y[i]} outside [0, ${K})`,
    );
  const C = o.C ?? 1;
  ensure(C > 0, `logistic regression: C must be > 0, got ${C}`);
  const lambda = 1 / (C * n);
  const S = new Float64Array(n * K);
  const G = new Float64Array(n * K);
  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    const W = theta.subarray(0, K * d);
    const b = theta.subarray(K * d);
    X.scores(W, b, K, S);
    let loss = 0;
    grad.fill(0, K * d);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, S[i * K + k]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(S[i * K + k] - max);
      loss += max + Math.log(sum) - S[i * K + y[i]];
      for (let k = 0; k < K; k++) {
        const g = (Math.exp(S[i * K + k] - max) / sum - (k === y[i] ? 1 : 0)) / n;
        G[i * K + k] = g;
        grad[K * d + k] += g;
      }
    }
    X.gradient(G, K, grad);
    let penalty = 0;
    for (let j = 0; j < K * d; j++) {
      penalty += W[j] * W[j];
      grad[j] += lambda * W[j];
    }
    return loss / n + (lambda / 2) * penalty;
  };
  const r = minimizeLbfgs(evaluate, new Float64Array(K * d + K), o.maxIter ?? 500, o.tol ?? 1e-6);
  return {
    classes: K,
    W: r.x.slice(0, K * d),
    b: r.x.slice(K * d),
    iterations: r.iterations,
    loss: r.f,
    converged: r.converged,
  };
}

/** argmax_k (W x_i + b)_k for every row (ties: the lower class). */
export function predictLogistic(m: LogisticModel, X: FeatureMatrix): Int32Array {
  const K = m.classes;
  const S = new Float64Array(X.rows * K);
  X.scores(m.W, m.b, K, S);
  const out = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (S[i * K + k] > S[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

type Objective = (x: Float64Array, grad: Float64Array) => number;

/** L-BFGS (Nocedal & Wright, Alg. 7.4: two-loop recursion, 10 pairs) with a backtracking Armijo line search. */
export function minimizeLbfgs(
  f: Objective,
  x0: Float64Array,
  maxIter: number,
  tol: number,
): { x: Float64Array; f: number; iterations: number; converged: boolean } {
  const m = 10;
  const n = x0.length;
  let x = x0.slice();
  let g = new Float64Array(n);
  let fx = f(x, g);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(n);
  const alpha = new Float64Array(m);
  for (let it = 0; it < maxIter; it++) {
    if (maxAbs(g) < tol) return { x, f: fx, iterations: it, converged: true };
    // dir = -H g by the two-loop recursion
    dir.set(g);
    for (let k = sHist.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(sHist[k], dir);
      axpy(-alpha[k], yHist[k], dir);
    }
    const last = sHist.length - 1;
    const gamma =
      last >= 0 ? dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) dir[i] *= gamma;
    for (let k = 0; k < sHist.length; k++) axpy(alpha[k] - rho[k] * dot(yHist[k], dir), sHist[k], dir);
    for (let i = 0; i < n; i++) dir[i] = -dir[i];
    const slope = dot(g, dir);
    if (!(slope < 0)) return { x, f: fx, iterations: it, converged: false };
    // backtracking: the first step of 1 satisfying Armijo (c1 = 1e-4), halving
    let step = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Infinity;
    for (let tries = 0; tries < 50; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * dir[i];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNew <= fx)) return { x, f: fx, iterations: it, converged: false };
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      yv[i] = gNew[i] - g[i];
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      if (sHist.length === m) [sHist.shift(), yHist.shift(), rho.shift()];
      sHist.push(s);
      yHist.push(yv);
      rho.push(1 / sy);
    }
    const done = fx - fNew <= 1e-15 * Math.max(1, Math.abs(fx));
    [x, g, fx] = [xNew, gNew, fNew];
    if (done) return { x, f: fx, iterations: it + 1, converged: maxAbs(g) < tol * 10 };
  }
  return { x, f: fx, iterations: maxIter, converged: maxAbs(g) < tol };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
