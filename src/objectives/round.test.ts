import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHalfEven } from './round.js';

describe('roundHalfEven', () => {
  it('ties go to the even neighbour, as Python round does', () => {
    expect([0.5, 1.5, 2.5, 3.5, 4.5, -0.5, -1.5, 30 * 0.15].map((x) => roundHalfEven(x) + 0)).toEqual([
      0, 2, 2, 4, 4, 0, -2, 4,
    ]);
    expect(roundHalfEven(4.500000001)).toBe(5);
    expect(roundHalfEven(4.499999999)).toBe(4);
  });

  it('agrees with Math.round away from ties and is never more than 1/2 away', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const r = roundHalfEven(x);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5);
        if (Math.abs(x - Math.floor(x) - 0.5) > 1e-9) expect(r + 0).toBe(Math.round(x) + 0);
      }),
    );
  });
});
