// tanh composed from engine kernels (the Engine has no tanh; BERT's pooler needs one on [B, C] values):
//   forward  tanh(x) = 2 sigmoid(2x) - 1, sigmoid(2x) = softmax([0, 2x])[1], read from crossEntropy's dlogits
//            (softmax - onehot(0)) over rows [0, 2x] built by a [n,1].[1,2] matmul;
//   backward dx = dy * (1 - y^2), the elementwise products taken from layerNormBackward's dgamma += dy * norm with
//            mean 0 and rstd 1 (so norm = x) over one row of n.
// A tanh forward/backward kernel pair in the Engine would replace this file.
import type { Engine } from '../engine/engine.js';

export class Tanh {
  private readonly pairs: Float32Array; // [n, 2]
  private readonly zeros: Int32Array; // [n] targets
  private readonly ones: Float32Array; // [n]
  private readonly minusOnes: Float32Array; // [n]
  private readonly scratch: Float32Array; // [n]
  private readonly scratch2: Float32Array; // [n]
  private readonly square: Float32Array; // [n]
  private readonly toPair: Float32Array; // [1, 2] = [0, 2]
  private readonly fromPair: Float32Array; // [2, 1] = [0, 2]
  private readonly mean0: Float32Array; // [1] = 0
  private readonly rstd1: Float32Array; // [1] = 1

  constructor(
    private readonly engine: Engine,
    readonly capacity: number,
  ) {
    const e = engine;
    this.pairs = e.alloc(2 * capacity);
    this.zeros = e.allocInt(capacity);
    this.ones = e.alloc(capacity).fill(1);
    this.minusOnes = e.alloc(capacity).fill(-1);
    this.scratch = e.alloc(capacity);
    this.scratch2 = e.alloc(capacity);
    this.square = e.alloc(capacity);
    this.toPair = e.alloc(2).fill(2, 1);
    this.fromPair = e.alloc(2).fill(2, 1);
    this.mean0 = e.alloc(1);
    this.rstd1 = e.alloc(1).fill(1);
  }

  /** y[n] = tanh(x[n]). */
  forward(y: Float32Array, x: Float32Array, n: number): void {
    const e = this.engine;
    e.matmul(this.pairs, x, this.toPair, n, 2, 1, false, false, 0); // rows [0, 2x]
    e.crossEntropy(this.pairs, this.zeros, n, 2, 1); // rows [p0 - 1, p1], p1 = sigmoid(2x)
    e.matmul(y, this.pairs, this.fromPair, n, 1, 2, false, false, 0); // 2 p1
    e.add(y, y, this.minusOnes, n);
  }

  /** dx[n] (=|+=) dy[n] * (1 - y[n]^2), y the forward's output. */
  backward(dx: Float32Array, dy: Float32Array, y: Float32Array, n: number, accumulate: boolean): void {
    const e = this.engine;
    this.square.fill(0, 0, n);
    this.product(this.square, y, y, n);
    e.scale(this.square, n, -1);
    e.add(this.square, this.square, this.ones, n); // 1 - y^2
    if (!accumulate) dx.fill(0, 0, n);
    this.product(dx, dy, this.square, n);
  }

  // out[n] += a[n] * b[n].
  private product(out: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
    this.scratch2.fill(0, 0, n);
    this.engine.layerNormBackward(this.scratch, out, this.scratch2, a, b, this.mean0, this.rstd1, this.ones, 1, n, false);
  }
}
