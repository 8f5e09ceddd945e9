import { describe, expect, it } from 'vitest';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { linearBackward, linearForward } from './linear.js';

describe('linear', () => {
  const [N, I, O] = [5, 7, 3];
  const x = randn(N * I, 'x');
  const W = randn(O * I, 'W');
  const b = randn(O, 'b');
  const w = randn(N * O, 'w'); // loss = sum(y * w), so dy = w
  const loss = () => {
    const y = new Float64Array(N * O);
    linearForward(y, x, W, b, N, I, O);
    return dot(y, w);
  };

  it('forward is x W^T + b', () => {
    const y = new Float64Array(N * O);
    linearForward(y, x, W, b, N, I, O);
    let s = b[2];
    for (let i = 0; i < I; i++) s += x[4 * I + i] * W[2 * I + i];
    expect(y[4 * O + 2]).toBeCloseTo(s, 12);
  });

  it('backward matches finite differences', () => {
    const dx = new Float64Array(N * I);
    const dW = new Float64Array(O * I);
    const db = new Float64Array(O);
    linearBackward(dx, dW, db, w, x, W, N, I, O, false);
    expect(relErr(dx, numericGrad(loss, x))).toBeLessThan(1e-7);
    expect(relErr(dW, numericGrad(loss, W))).toBeLessThan(1e-7);
    expect(relErr(db, numericGrad(loss, b))).toBeLessThan(1e-7);
  });

  it('parameter gradients accumulate; dx overwrites unless asked to accumulate; dx null skips it', () => {
    const dx = new Float64Array(N * I).fill(1);
    const dW = new Float64Array(O * I);
    const db = new Float64Array(O);
    linearBackward(dx, dW, db, w, x, W, N, I, O, false);
    const [dx1, dW1, db1] = [dx.slice(), dW.slice(), db.slice()];
    linearBackward(dx, dW, db, w, x, W, N, I, O, true);
    expect(
      relErr(
        dx,
        dx1.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-15);
    expect(
      relErr(
        dW,
        dW1.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-15);
    expect(
      relErr(
        db,
        db1.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-15);
    linearBackward(null, dW, null, w, x, W, N, I, O, false);
    expect(
      relErr(
        dW,
        dW1.map((v) => 3 * v),
      ),
    ).toBeLessThan(1e-15);
  });
});
