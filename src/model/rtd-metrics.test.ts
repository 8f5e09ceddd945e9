import { describe, expect, it } from 'vitest';
import { Rng } from '../rng/rng.js';
import { rocAuc, rtdAccuracy } from './rtd-metrics.js';

describe('replaced-token detection metrics', () => {
  it('AUC: perfect, reversed, all tied, one class missing', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 2, 3], [0, 1, 1])).toBe(1);
    expect(rocAuc([3, 2, 1], [0, 1, 1])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([1, 2], [1, 1])).toBeUndefined();
  });

  it('AUC equals the pairwise definition on random scores with ties', () => {
    const rng = Rng.of(1, 0, 0, 'auc');
    const s = Array.from({ length: 300 }, () => rng.int(20));
    const y = Array.from({ length: 300 }, () => (rng.int(3) === 0 ? 1 : 0));
    let num = 0;
    let den = 0;
    for (let i = 0; i < 300; i++)
      for (let j = 0; j < 300; j++)
        if (y[i] === 1 && y[j] === 0) den++, (num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0);
    expect(rocAuc(s, y)).toBeCloseTo(num / den, 12);
  });

  it('accuracy thresholds logits at 0', () => {
    expect(rtdAccuracy([-1, 2, 0.5, -3], [0, 1, 0, 1])).toBe(0.5);
  });
});
