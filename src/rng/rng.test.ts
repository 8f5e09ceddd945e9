import { describe, expect, it } from 'vitest';
import { Rng, hashString } from './rng.js';

describe('Rng', () => {
  it('same key, same stream; seed 0 is a real seed', () => {
    const a = Rng.of(0, 0, 0, 'x');
    const b = Rng.of(0, 0, 0, 'x');
    const xs = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(xs);
    expect(new Set(xs).size).toBe(8);
  });

  it('each key component changes the stream', () => {
    const first = (r: Rng) => [r.nextU32(), r.nextU32()].join(',');
    const base = first(Rng.of(1, 2, 3, 'p'));
    for (const other of [
      Rng.of(2, 2, 3, 'p'),
      Rng.of(1, 3, 3, 'p'),
      Rng.of(1, 2, 4, 'p'),
      Rng.of(1, 2, 3, 'q'),
      Rng.of(2 ** 40 + 1, 2, 3, 'p'),
    ]) {
      expect(first(other)).not.toBe(base);
    }
  });

  it('state round-trips', () => {
    const r = Rng.of(5, 0, 0, 'state');
    r.nextU32();
    const copy = Rng.fromState(r.getState());
    expect(copy.nextU32()).toBe(r.nextU32());
  });

  it('int is uniform (chi-square, 10 bins, 100k draws, critical value at p = 1e-5)', () => {
    const r = Rng.of(9, 0, 0, 'int');
    const counts = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    const chi = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(37.7); // chi2(9) quantile at 1 - 1e-5
  });

  it('double lies in [0, 1) with mean 1/2', () => {
    const r = Rng.of(3, 0, 0, 'double');
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.double();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    // sd of the mean = sqrt(1/12/1e5) ~ 9.1e-4; 5 sd
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(4.6e-3);
  });

  it('sample draws distinct values; shuffle is a permutation', () => {
    const r = Rng.of(1, 0, 0, 's');
    const s = r.sample(100, 40);
    expect(new Set(s).size).toBe(40);
    expect(s.every((x) => x >= 0 && x < 100)).toBe(true);
    const p = r.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('poisson and geometric have the right means', () => {
    const r = Rng.of(4, 0, 0, 'dist');
    let sp = 0;
    let sg = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      sp += r.poisson(3);
      sg += r.geometric(0.2);
    }
    expect(Math.abs(sp / n - 3)).toBeLessThan(5 * Math.sqrt(3 / n));
    expect(Math.abs(sg / n - 5)).toBeLessThan(5 * Math.sqrt(20 / n)); // var = (1-p)/p^2 = 20
  });

  it('hashString is FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
