import { describe, expect, it } from 'vitest';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { rmsNormBackward, rmsNormForward } from './rmsnorm.js';

describe('rmsNorm (T5LayerNorm)', () => {
  const [N, C, eps] = [4, 9, 1e-6];
  const x = randn(N * C, 'x', 3).map((v, i) => v + (i % C === 0 ? 5 : 0));
  const gamma = randn(C, 'gamma').map((v) => 1 + 0.5 * v);
  const w = randn(N * C, 'w');
  const forward = () => {
    const y = new Float64Array(N * C);
    const rstd = new Float64Array(N);
    rmsNormForward(y, rstd, x, gamma, N, C, eps);
    return { y, rstd };
  };

  it('scales each row to unit mean square, without subtracting the mean', () => {
    const y = new Float64Array(N * C);
    const rstd = new Float64Array(N);
    rmsNormForward(y, rstd, x, new Float64Array(C).fill(1), N, C, eps);
    for (let n = 0; n < N; n++) {
      const row = Array.from(x.subarray(n * C, (n + 1) * C));
      const ms = row.reduce((a, b) => a + b * b, 0) / C;
      expect(rstd[n]).toBeCloseTo(1 / Math.sqrt(ms + eps), 12);
      const yr = Array.from(y.subarray(n * C, (n + 1) * C));
      expect(yr.reduce((a, b) => a + b * b, 0) / C).toBeCloseTo(ms / (ms + eps), 12);
      yr.forEach((v, c) => expect(Math.sign(v)).toBe(Math.sign(row[c]))); // no shift: signs kept
    }
  });

  it('backward matches finite differences; accumulate adds', () => {
    const { rstd } = forward();
    const dx = new Float64Array(N * C);
    const dgamma = new Float64Array(C);
    rmsNormBackward(dx, dgamma, w, x, rstd, gamma, N, C, false);
    const loss = () => dot(forward().y, w);
    expect(relErr(dx, numericGrad(loss, x))).toBeLessThan(1e-7);
    expect(relErr(dgamma, numericGrad(loss, gamma))).toBeLessThan(1e-7);
    const dx2 = Float64Array.from(dx);
    rmsNormBackward(dx2, new Float64Array(C), w, x, rstd, gamma, N, C, true);
    expect(
      relErr(
        dx2,
        dx.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-15);
  });
});
