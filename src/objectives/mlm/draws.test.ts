import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import { fillDraws } from './draws.js';

describe('fillDraws', () => {
  it('is xoshiro128** seeded by four draws of the row stream (same output as Rng.fromState)', () => {
    const a = Rng.of(3, 1, 4, 'x');
    const seedWords = [a.nextU32(), a.nextU32(), a.nextU32(), a.nextU32()];
    const ref = Rng.fromState(seedWords);
    const out = fillDraws(new Uint32Array(100), 100, Rng.of(3, 1, 4, 'x'));
    expect(Array.from(out)).toEqual(Array.from({ length: 100 }, () => ref.nextU32()));
  });
});
