import { describe, expect, it } from 'vitest';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { relativeBiasBackward, relativeBiasForward } from './relative-bias.js';

describe('relative position bias', () => {
  const [B, Tq, Tk, H, NB] = [2, 3, 4, 2, 5];
  const buckets = Int32Array.from({ length: Tq * Tk }, (_, i) => (i * 7) % NB);
  const table = randn(NB * H, 'table');

  it('gathers table[bucket, h] into bias[h, i, j]; backward sums over the batch and scatters by bucket', () => {
    const bias = new Float64Array(H * Tq * Tk);
    relativeBiasForward(bias, table, buckets, Tq, Tk, H);
    for (let h = 0; h < H; h++)
      for (let i = 0; i < Tq * Tk; i++) expect(bias[h * Tq * Tk + i]).toBe(table[buckets[i] * H + h]);
    const dscores = randn(B * H * Tq * Tk, 'dscores');
    // loss = sum over b of <bias, dscores[b]>, so d loss / d table is the backward's sum
    const loss = () => {
      relativeBiasForward(bias, table, buckets, Tq, Tk, H);
      let s = 0;
      for (let b = 0; b < B; b++) s += dot(bias, dscores.subarray(b * H * Tq * Tk, (b + 1) * H * Tq * Tk));
      return s;
    };
    const dtable = new Float64Array(NB * H);
    relativeBiasBackward(dtable, dscores, buckets, B, Tq, Tk, H);
    expect(relErr(dtable, numericGrad(loss, table))).toBeLessThan(1e-8);
  });
});
