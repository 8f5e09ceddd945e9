import { describe, expect, it } from 'vitest';
import { embeddingBackward, embeddingForward, gatherRows, scatterAddRows } from './embedding.js';

describe('embedding and row gather/scatter', () => {
  const C = 2;
  const table = Float32Array.of(0, 1, 10, 11, 20, 21);
  const ids = Int32Array.of(2, 0, 2);

  it('forward looks rows up, overwriting or accumulating', () => {
    const out = new Float32Array(3 * C).fill(1);
    embeddingForward(out, table, ids, 3, C, false);
    expect(Array.from(out)).toEqual([20, 21, 0, 1, 20, 21]);
    embeddingForward(out, table, ids, 3, C, true);
    expect(Array.from(out)).toEqual([40, 42, 0, 2, 40, 42]);
    expect(() => embeddingForward(out, table, Int32Array.of(3), 1, C, false)).toThrow(RangeError);
  });

  it('backward adds repeated ids together', () => {
    const dtable = new Float32Array(6).fill(1);
    embeddingBackward(dtable, Float32Array.of(1, 2, 3, 4, 5, 6), ids, 3, C);
    expect(Array.from(dtable)).toEqual([4, 5, 1, 1, 7, 9]);
  });

  it('gatherRows and scatterAddRows are adjoint', () => {
    const out = new Float32Array(2 * C);
    gatherRows(out, table, Int32Array.of(1, 1), 2, C);
    expect(Array.from(out)).toEqual([10, 11, 10, 11]);
    const dx = new Float32Array(6);
    scatterAddRows(dx, Float32Array.of(1, 2, 3, 4), Int32Array.of(2, 0), 2, C);
    expect(Array.from(dx)).toEqual([3, 4, 0, 0, 1, 2]);
  });
});
