// T5's relative position bias: table[numBuckets, H], buckets[Tq * Tk] (i32), bias[H, Tq, Tk]. Forward units are
// the H * Tq * Tk outputs; backward units are whole heads (column h of the table), so no two write one entry.
import { unitStart } from './split';

/** bias[h, i, j] = table[buckets[i * Tk + j], h]. */
export function relativeBiasForward(tid: i32, u0: i32, u1: i32, bias: usize, table: usize, buckets: usize, Tq: i32, Tk: i32, H: i32): void {
  const n = Tq * Tk;
  const i0 = unitStart(u0, 1, H * n);
  const i1 = unitStart(u1, 1, H * n);
  for (let i = i0; i < i1; i++) {
    const h = i / n;
    const bucket = load<i32>(buckets + (<usize>(i % n) << 2));
    store<f32>(bias + (<usize>i << 2), load<f32>(table + (<usize>(bucket * H + h) << 2)));
  }
}

/** dtable[buckets[i * Tk + j], h] += sum over b of dscores[b, h, i, j]. */
export function relativeBiasBackward(tid: i32, u0: i32, u1: i32, dtable: usize, dscores: usize, buckets: usize, B: i32, Tq: i32, Tk: i32, H: i32): void {
  const n = Tq * Tk;
  const h0 = unitStart(u0, 1, H);
  const h1 = unitStart(u1, 1, H);
  for (let h = h0; h < h1; h++) {
    for (let i = 0; i < n; i++) {
      let sum: f32 = 0;
      for (let b = 0; b < B; b++) sum += load<f32>(dscores + (<usize>((b * H + h) * n + i) << 2));
      const at = dtable + (<usize>(load<i32>(buckets + (<usize>i << 2)) * H + h) << 2);
      store<f32>(at, load<f32>(at) + sum);
    }
  }
}
