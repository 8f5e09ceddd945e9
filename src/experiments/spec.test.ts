// replanSteps: what a wall-clock run plans at the pace so far.
import { describe, expect, it } from 'vitest';
import { replanSteps } from './spec.js';

describe('replanSteps', () => {
  it('shortens the plan when the steps run slower than calibrated, and lengthens it back up to the plan', () => {
    // 1000 planned for 100 s; 200 steps took 25 s (0.125 s each): 75 s left fit 600 more
    expect(replanSteps(1000, 1000, 200, 25, 100)).toBe(800);
    // later the pace recovers: 400 steps in 45 s -> 55 s at 0.1125 s fit 488 more, 888 (more than 2% above 800)
    expect(replanSteps(1000, 800, 400, 45, 100)).toBe(888);
    // faster than calibrated: never beyond the plan (the budget's end or the plan's, whichever comes first)
    expect(replanSteps(1000, 1000, 500, 25, 100)).toBe(1000);
  });

  it('keeps the plan within 2%, before any step, and always leaves one more step', () => {
    expect(replanSteps(1000, 1000, 200, 20.3, 100)).toBe(1000); // fits 985: within 2%
    expect(replanSteps(1000, 1000, 0, 0, 100)).toBe(1000);
    expect(replanSteps(1000, 1000, 300, 120, 100)).toBe(301); // over the budget already: the loop's stop ends it
  });
});
