// Feature matrices for the probes: dense [n, d] (pooled hidden states) or sparse CSR (bag of words), with the two
// products multinomial logistic regression needs. f64 accumulation throughout.
import { ensure } from '../errors.js';

export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  /** out[n, K] = X[n, d] . W[K, d]^T (+ b[K]) */
  scores(W: Float64Array, b: Float64Array, K: number, out: Float64Array): void;
  /** out[K, d] = G[n, K]^T . X[n, d] */
  gradient(G: Float64Array, K: number, out: Float64Array): void;
  /** The matrix of the given rows, in that order. */
  select(rows: readonly number[]): FeatureMatrix;
}

/** Row-major dense features [rows, cols]. */
export class DenseFeatures implements FeatureMatrix {
  constructor(
    readonly data: Float32Array | Float64Array,
    readonly rows: number,
    readonly cols: number,
  ) {
    ensure(data.length === rows * cols, `features: ${data.length} values for [${rows}, ${cols}]`);
  }

  scores(W: Float64Array, b: Float64Array, K: number, out: Float64Array): void {
    const { data: X, rows: n, cols: d } = this;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        let s = b[k];
        for (let j = 0; j < d; j++) s += X[i * d + j] * W[k * d + j];
        out[i * K + k] = s;
      }
    }
  }

  gradient(G: Float64Array, K: number, out: Float64Array): void {
    const { data: X, rows: n, cols: d } = this;
    out.fill(0, 0, K * d);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const g = G[i * K + k];
        if (g === 0) continue;
        for (let j = 0; j < d; j++) out[k * d + j] += g * X[i * d + j];
      }
    }
  }

  select(rows: readonly number[]): DenseFeatures {
    const d = this.cols;
    const out = new Float64Array(rows.length * d);
    rows.forEach((r, i) => out.set(this.data.subarray(r * d, (r + 1) * d), i * d));
    return new DenseFeatures(out, rows.length, d);
  }

  /** Columns standardised by the mean and std of `fit` (sklearn StandardScaler: population std, 1 where 0). */
  standardized(fit: DenseFeatures): DenseFeatures {
    const { rows: n, cols: d } = fit;
    const mean = new Float64Array(d);
    const sq = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += fit.data[i * d + j] / n;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (fit.data[i * d + j] - mean[j]) ** 2 / n;
    const out = new Float64Array(this.rows * d);
    for (let i = 0; i < this.rows; i++)
      for (let j = 0; j < d; j++)
        out[i * d + j] = (this.data[i * d + j] - mean[j]) / (sq[j] > 0 ? Math.sqrt(sq[j]) : 1);
    return new DenseFeatures(out, this.rows, d);
  }
}

/** Compressed sparse rows: row i holds values[ptr[i]..ptr[i+1]) at columns index[...]. */
export class SparseFeatures implements FeatureMatrix {
  constructor(
    readonly ptr: Int32Array,
    readonly index: Int32Array,
    readonly values: Float64Array,
    readonly cols: number,
  ) {}

  get rows(): number {
    return this.ptr.length - 1;
  }

  scores(W: Float64Array, b: Float64Array, K: number, out: Float64Array): void {
    const d = this.cols;
    for (let i = 0; i < this.rows; i++) {
      for (let k = 0; k < K; k++) {
        let s = b[k];
        for (let p = this.ptr[i]; p < this.ptr[i + 1]; p++) s += this.values[p] * W[k * d + this.index[p]];
        out[i * K + k] = s;
      }
    }
  }

  gradient(G: Float64Array, K: number, out: Float64Array): void {
    const d = this.cols;
    out.fill(0, 0, K * d);
    for (let i = 0; i < this.rows; i++) {
      for (let k = 0; k < K; k++) {
        const g = G[i * K + k];
        if (g === 0) continue;
        for (let p = this.ptr[i]; p < this.ptr[i + 1]; p++) out[k * d + this.index[p]] += g * this.values[p];
      }
    }
  }

  select(rows: readonly number[]): SparseFeatures {
    const ptr = new Int32Array(rows.length + 1);
    rows.forEach((r, i) => (ptr[i + 1] = ptr[i] + this.ptr[r + 1] - this.ptr[r]));
    const index = new Int32Array(ptr[rows.length]);
    const values = new Float64Array(ptr[rows.length]);
    rows.forEach((r, i) => {
      index.set(this.index.subarray(this.ptr[r], this.ptr[r + 1]), ptr[i]);
      values.set(this.values.subarray(this.ptr[r], this.ptr[r + 1]), ptr[i]);
    });
    return new SparseFeatures(ptr, index, values, this.cols);
  }
}
