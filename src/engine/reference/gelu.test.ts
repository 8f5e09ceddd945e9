import { describe, expect, it } from 'vitest';
import type { GeluForm } from '../engine.js';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { erf, erfc } from './erf.js';
import { gelu, geluBackward, geluForward } from './gelu.js';

describe('erf', () => {
  // Values from scipy.special.erf / erfc.
  const erfTable: [number, number][] = [
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [1.5, 0.9661051464753108],
    [2, 0.9953222650189527],
    [2.5, 0.999593047982555],
    [3, 0.9999779095030014],
  ];
  const erfcTable: [number, number][] = [
    [3, 2.209049699858544e-5],
    [4, 1.541725790028002e-8],
    [5, 1.537459794428035e-12],
    [10, 2.088487583762545e-45],
  ];

  it('matches tables to 1e-14 relative, odd in x', () => {
    for (const [x, want] of erfTable) {
      expect(Math.abs(erf(x) - want) / want).toBeLessThan(1e-14);
      expect(erf(-x)).toBe(-erf(x));
    }
    for (const [x, want] of erfcTable) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-13);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 15);
    expect(erf(0)).toBe(0);
  });

  it('is continuous across the series / continued-fraction switch', () => {
    expect(Math.abs(erfc(3 - 1e-12) - erfc(3)) / erfc(3)).toBeLessThan(1e-10);
  });
});

describe('gelu', () => {
  it('known values: erf form is x Phi(x); tanh form is gelu_new', () => {
    expect(gelu(1, 'erf')).toBeCloseTo(0.8413447460685429, 15);
    expect(gelu(-1, 'erf')).toBeCloseTo(-0.15865525393145707, 15);
    expect(gelu(1, 'tanh')).toBeCloseTo(0.8411919906082768, 15);
    expect(gelu(-1, 'tanh')).toBeCloseTo(-0.15880800939172324, 15);
    // The far negative tail stays relative-accurate: gelu(-10) = -10 * Phi(-10) = -7.6198530241605e-23.
    expect(Math.abs(gelu(-10, 'erf') / -7.61985302416047e-23 - 1)).toBeLessThan(1e-12);
  });

  for (const form of ['erf', 'tanh'] as GeluForm[]) {
    it(`${form}: backward matches finite differences; accumulate adds`, () => {
      const n = 64;
      const x = randn(n, 'x', 2.5);
      const w = randn(n, 'w');
      const loss = () => {
        const y = new Float64Array(n);
        geluForward(y, x, n, form);
        return dot(y, w);
      };
      const dx = new Float64Array(n);
      geluBackward(dx, w, x, n, form, false);
      expect(relErr(dx, numericGrad(loss, x))).toBeLessThan(1e-8);
      const twice = dx.map((v) => 2 * v);
      geluBackward(dx, w, x, n, form, true);
      expect(relErr(dx, twice)).toBeLessThan(1e-15);
    });
  }
});
