import { describe, expect, it } from 'vitest';
import { RowArena } from './arena.js';

describe('RowArena', () => {
  it('hands out zeroed, non-overlapping arrays, including ones larger than a chunk', () => {
    const arena = new RowArena();
    const xs = [arena.int32(3), arena.uint8(5), arena.int32(100_000), arena.int32(2)];
    xs.forEach((x, k) => {
      expect(x.every((v) => v === 0)).toBe(true);
      x.fill(k + 1);
    });
    xs.forEach((x, k) => expect(x.every((v) => v === k + 1)).toBe(true));
    expect(xs[0].byteOffset % 4).toBe(0);
    expect(xs[3].byteOffset % 4).toBe(0);
  });
});
