import { describe, expect, it } from 'vitest';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { gatedGeluBackward, gatedGeluForward } from './gated-gelu.js';
import { gelu } from './gelu.js';

describe('gated GELU (T5 v1.1)', () => {
  const [N, F] = [3, 5];
  const h = randn(N * 2 * F, 'h', 2);
  const w = randn(N * F, 'w');
  const forward = () => {
    const y = new Float64Array(N * F);
    gatedGeluForward(y, h, N, F);
    return y;
  };

  it('is gelu_new(gate) * lin with the gate in the first F columns of each row', () => {
    const y = forward();
    for (let n = 0; n < N; n++)
      for (let f = 0; f < F; f++)
        expect(y[n * F + f]).toBeCloseTo(gelu(h[n * 2 * F + f], 'tanh') * h[n * 2 * F + F + f], 14);
  });

  it('backward matches finite differences', () => {
    const dh = new Float64Array(N * 2 * F);
    gatedGeluBackward(dh, w, h, N, F);
    expect(
      relErr(
        dh,
        numericGrad(() => dot(forward(), w), h),
      ),
    ).toBeLessThan(1e-7);
  });
});
