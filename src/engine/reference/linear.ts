import type { Floats } from './floats.js';
import { matmul } from './matmul.js';

// nn.Linear: W[O, I], y = x . W^T + b.

// y[N, O] = x[N, I] . W[O, I]^T + b[O] (b may be null).
export function linearForward(
  y: Floats,
  x: Floats,
  W: Floats,
  b: Floats | null,
  N: number,
  I: number,
  O: number,
): void {
  matmul(y, x, W, N, O, I, false, true, 0);
  if (b === null) return;
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) y[n * O + o] += b[o];
}

// dx[N, I] (=|+=) dy[N, O] . W[O, I]; dW[O, I] += dy^T . x; db[O] += sum over n of dy[n, :].
export function linearBackward(
  dx: Floats | null,
  dW: Floats,
  db: Floats | null,
  dy: Floats,
  x: Floats,
  W: Floats,
  N: number,
  I: number,
  O: number,
  accumulate: boolean,
): void {
  if (dx !== null) matmul(dx, dy, W, N, I, O, false, false, accumulate ? 1 : 0);
  matmul(dW, dy, x, O, I, N, true, false, 1);
  if (db === null) return;
  for (let o = 0; o < O; o++) {
    let sum = 0;
    for (let n = 0; n < N; n++) sum += dy[n * O + o];
    db[o] += sum;
  }
}
