import type { Floats } from './floats.js';

// T5's relative position bias: table[numBuckets, H] (relative_attention_bias.weight), buckets[Tq * Tk] the bucket
// of each (query i, key j) pair (model/t5-position.ts), the bias [H, Tq, Tk] shared by every sequence of the batch.

// bias[h, i, j] = table[buckets[i * Tk + j], h].
export function relativeBiasForward(
  bias: Floats,
  table: Floats,
  buckets: Int32Array,
  Tq: number,
  Tk: number,
  H: number,
): void {
  const n = Tq * Tk;
  for (let h = 0; h < H; h++) for (let i = 0; i < n; i++) bias[h * n + i] = table[buckets[i] * H + h];
}

// dtable[buckets[i * Tk + j], h] += sum over b of dscores[b, h, i, j].
export function relativeBiasBackward(
  dtable: Floats,
  dscores: Floats,
  buckets: Int32Array,
  B: number,
  Tq: number,
  Tk: number,
  H: number,
): void {
  const n = Tq * Tk;
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let b = 0; b < B; b++) sum += dscores[(b * H + h) * n + i];
      dtable[buckets[i] * H + h] += sum;
    }
  }
}
