import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import { randnF32 } from './check.case.js';
import { dropoutBackward, dropoutForward } from './dropout.js';

describe('dropout', () => {
  const n = 20000;
  const x = randnF32(n, 'x');

  it('p = 0 copies and keeps everything without drawing', () => {
    const y = new Float32Array(n);
    const keep = new Uint8Array(n);
    const rng = Rng.of(1, 0, 0, 'dropout');
    dropoutForward(y, keep, x, n, 0, rng);
    expect(y).toEqual(x);
    expect(keep.every((k) => k === 1)).toBe(true);
    expect(rng.nextU32()).toBe(Rng.of(1, 0, 0, 'dropout').nextU32());
  });

  it('drops about p, scales the kept by 1 / (1 - p), and the same rng gives the same mask', () => {
    const p = 0.1;
    const y = new Float32Array(n);
    const keep = new Uint8Array(n);
    dropoutForward(y, keep, x, n, p, Rng.of(2, 0, 0, 'dropout'));
    const kept = keep.reduce((a, k) => a + k, 0);
    expect(Math.abs(kept / n - (1 - p))).toBeLessThan(0.01);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (y[i] !== (keep[i] ? Math.fround(x[i] / (1 - p)) : 0)) wrong++;
    expect(wrong).toBe(0);
    const keep2 = new Uint8Array(n);
    dropoutForward(new Float32Array(n), keep2, x, n, p, Rng.of(2, 0, 0, 'dropout'));
    expect(keep2).toEqual(keep);

    const dx = new Float32Array(n).fill(1);
    dropoutBackward(dx, x, keep, n, p, false);
    expect(dx).toEqual(y);
    dropoutBackward(dx, x, keep, n, p, true);
    expect(dx[0]).toBeCloseTo(2 * y[0], 6);
  });

  it('p = 1 drops everything to zero', () => {
    const y = new Float32Array(4).fill(7);
    dropoutForward(y, new Uint8Array(4), Float32Array.of(1, 2, 3, 4), 4, 1, Rng.of(3, 0, 0, 'dropout'));
    expect(Array.from(y)).toEqual([0, 0, 0, 0]);
  });
});
