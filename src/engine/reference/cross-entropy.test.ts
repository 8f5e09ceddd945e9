import { describe, expect, it } from 'vitest';
import { numericGrad, randn, relErr } from './check.case.js';
import { crossEntropy } from './cross-entropy.js';

describe('crossEntropy', () => {
  it('uniform logits cost log V per counted row; ignored rows get zero gradient and no loss', () => {
    const [N, V] = [3, 8];
    const logits = new Float32Array(N * V).fill(0.25);
    const loss = crossEntropy(logits, Int32Array.of(2, -100, 7), N, V, 0.5);
    expect(loss).toBeCloseTo(2 * Math.log(V), 6);
    expect(Array.from(logits.subarray(V, 2 * V))).toEqual(new Array(V).fill(0));
    expect(logits[2]).toBeCloseTo((1 / V - 1) * 0.5, 7);
    expect(logits[3]).toBeCloseTo(0.5 / V, 7);
  });

  it('gradient rows sum to zero and match finite differences of the loss', () => {
    const [N, V] = [4, 11];
    const x = randn(N * V, 'logits', 3);
    const targets = Int32Array.of(0, 10, -100, 5);
    const grad = x.slice();
    const loss = crossEntropy(grad, targets, N, V, 1);
    for (let n = 0; n < N; n++)
      expect(Math.abs(grad.subarray(n * V, (n + 1) * V).reduce((a, b) => a + b))).toBeLessThan(1e-15);
    expect(
      relErr(
        grad,
        numericGrad(() => crossEntropy(x.slice(), targets, N, V, 1), x),
      ),
    ).toBeLessThan(1e-8);
    // The loss is -log softmax at the target, summed.
    let want = 0;
    for (const n of [0, 1, 3]) {
      const row = Array.from(x.subarray(n * V, (n + 1) * V));
      want += Math.log(row.reduce((a, b) => a + Math.exp(b), 0)) - row[targets[n]];
    }
    expect(loss).toBeCloseTo(want, 12);
  });

  it('is stable for large logits and rejects out-of-range targets', () => {
    const logits = Float32Array.of(1000, 0, -1000);
    expect(crossEntropy(logits, Int32Array.of(1), 1, 3, 1)).toBeCloseTo(1000, 4);
    expect(() => crossEntropy(new Float32Array(3), Int32Array.of(3), 1, 3, 1)).toThrow(RangeError);
    expect(() => crossEntropy(new Float32Array(3), Int32Array.of(-1), 1, 3, 1)).toThrow(RangeError);
  });
});
