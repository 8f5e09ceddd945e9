// Row lookups and their adjoints over [*, C] tensors: embedding (ids) and gather / scatter-add (indices).
// Forward units are rows; scatter-add units are 4-column groups, so repeated ids never race.
import { unitStart } from './split';

/** out[N, C] (=|+=) table[ids[n], :]; ids are range-checked by the host. */
export function gatherRows(tid: i32, u0: i32, u1: i32, out: usize, table: usize, ids: usize, N: i32, C: i32, accumulate: i32): void {
  const n0 = unitStart(u0, 1, N);
  const n1 = unitStart(u1, 1, N);
  const C4 = C & ~3;
  const rowBytes = <usize>C * 4;
  for (let n = n0; n < n1; n++) {
    const src = table + <usize>load<i32>(ids + (<usize>n << 2)) * rowBytes;
    const dst = out + <usize>n * rowBytes;
    if (!accumulate) {
      memory.copy(dst, src, rowBytes);
      continue;
    }
    for (let c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (let c = C4; c < C; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) + load<f32>(src + (<usize>c << 2)));
  }
}

/** dx[ids[n], :] += dout[n, :] on the columns of units [u0, u1). */
export function scatterAddRows(tid: i32, u0: i32, u1: i32, dx: usize, dout: usize, ids: usize, N: i32, C: i32): void {
  const c0 = unitStart(u0, 4, C);
  const c1 = unitStart(u1, 4, C);
  const rowBytes = <usize>C * 4;
  for (let n = 0; n < N; n++) {
    const dst = dx + <usize>load<i32>(ids + (<usize>n << 2)) * rowBytes;
    const src = dout + <usize>n * rowBytes;
    let c = c0;
    for (; c + 4 <= c1; c += 4) {
      const o = <usize>c << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; c < c1; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) + load<f32>(src + (<usize>c << 2)));
  }
}
