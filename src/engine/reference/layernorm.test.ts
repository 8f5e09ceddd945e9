import { describe, expect, it } from 'vitest';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { layerNormBackward, layerNormForward } from './layernorm.js';

describe('layerNorm', () => {
  const [N, C, eps] = [4, 9, 1e-5];
  const x = randn(N * C, 'x', 3).map((v, i) => v + (i % C === 0 ? 5 : 0));
  const gamma = randn(C, 'gamma').map((v) => 1 + 0.5 * v);
  const beta = randn(C, 'beta');
  const w = randn(N * C, 'w');
  const forward = () => {
    const y = new Float64Array(N * C);
    const mean = new Float64Array(N);
    const rstd = new Float64Array(N);
    layerNormForward(y, mean, rstd, x, gamma, beta, N, C, eps);
    return { y, mean, rstd };
  };

  it('normalises each row with biased variance', () => {
    const y = new Float64Array(N * C);
    const mean = new Float64Array(N);
    const rstd = new Float64Array(N);
    layerNormForward(y, mean, rstd, x, new Float64Array(C).fill(1), new Float64Array(C), N, C, eps);
    for (let n = 0; n < N; n++) {
      const row = Array.from(x.subarray(n * C, (n + 1) * C));
      const m = row.reduce((a, b) => a + b) / C;
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / C;
      expect(mean[n]).toBeCloseTo(m, 12);
      expect(rstd[n]).toBeCloseTo(1 / Math.sqrt(v + eps), 12);
      const yr = Array.from(y.subarray(n * C, (n + 1) * C));
      expect(yr.reduce((a, b) => a + b)).toBeCloseTo(0, 12);
      expect(yr.reduce((a, b) => a + b * b, 0) / C).toBeCloseTo(v / (v + eps), 12);
    }
  });

  it('backward matches finite differences', () => {
    const { mean, rstd } = forward();
    const dx = new Float64Array(N * C);
    const dgamma = new Float64Array(C);
    const dbeta = new Float64Array(C);
    layerNormBackward(dx, dgamma, dbeta, w, x, mean, rstd, gamma, N, C, false);
    const loss = () => dot(forward().y, w);
    expect(relErr(dx, numericGrad(loss, x))).toBeLessThan(1e-7);
    expect(relErr(dgamma, numericGrad(loss, gamma))).toBeLessThan(1e-7);
    expect(relErr(dbeta, numericGrad(loss, beta))).toBeLessThan(1e-7);
  });
});
