import { describe, expect, it } from 'vitest';
import { randn } from './check.case.js';
import { reluBackward, reluForward } from './relu.js';

describe('relu', () => {
  it('forward clamps at 0 (in place too); backward passes dy where the output is positive', () => {
    const x = randn(50, 'x');
    const y = new Float64Array(50);
    reluForward(y, x, 50);
    x.forEach((v, i) => expect(y[i]).toBe(v > 0 ? v : 0));
    const z = Float64Array.from(x);
    reluForward(z, z, 50);
    expect(z).toEqual(y);
    const dy = randn(50, 'dy');
    const dx = new Float64Array(50).fill(1);
    reluBackward(dx, dy, y, 50, true);
    x.forEach((v, i) => expect(dx[i]).toBe(1 + (v > 0 ? dy[i] : 0)));
    reluBackward(dx, dy, y, 50, false);
    x.forEach((v, i) => expect(dx[i]).toBe(v > 0 ? dy[i] : 0));
  });
});
