import { describe, expect, it } from 'vitest';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { tanhBackward, tanhForward } from './tanh.js';

describe('tanh', () => {
  it('is Math.tanh, rounded once to f32, tails and specials included; works in place', () => {
    const x = Float32Array.of(0, -0, 1e-30, -1e-7, 0.3, -0.55, 1, 2.5, -9, 20, Infinity, -Infinity, NaN);
    const y = new Float32Array(x.length);
    tanhForward(y, x, x.length);
    expect(Array.from(y)).toEqual(Array.from(x, (v) => Math.fround(Math.tanh(v))));
    expect(Object.is(y[1], -0)).toBe(true);
    expect(y[2]).toBe(Math.fround(1e-30)); // tanh x = x below f32 resolution
    expect(y[9]).toBe(1);
    tanhForward(x, x, x.length);
    expect(x).toEqual(y);
  });

  it('backward from the saved output matches finite differences; accumulate adds', () => {
    const n = 64;
    const x = randn(n, 'x', 2);
    const w = randn(n, 'w');
    const y = new Float64Array(n);
    const loss = () => {
      tanhForward(y, x, n);
      return dot(y, w);
    };
    const numeric = numericGrad(loss, x);
    loss();
    const dx = new Float64Array(n).fill(NaN); // overwritten
    tanhBackward(dx, w, y, n, false);
    expect(relErr(dx, numeric)).toBeLessThan(1e-8);
    const twice = dx.map((v) => 2 * v);
    tanhBackward(dx, w, y, n, true);
    expect(relErr(dx, twice)).toBeLessThan(1e-15);
  });
});
