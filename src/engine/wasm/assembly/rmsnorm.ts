// RMSNorm over rows of [N, C] (T5LayerNorm: mean of squares, no mean subtraction, no bias). Forward units are rows;
// backward units are blocks of `rows` rows with partials [C] each, folded in block order by rmsNormReduce (as
// layernorm.ts: blocks fixed by N, so dgamma is bit-identical for any thread count).
import { hsum, madd } from './simd';
import { unitStart } from './split';

/** y[N, C] = x * rstd * gamma, rstd = 1 / sqrt(mean(x^2) + eps); rstd[N] saved. */
export function rmsNormForward(tid: i32, u0: i32, u1: i32, y: usize, rstd: usize, x: usize, gamma: usize, N: i32, C: i32, eps: f32): void {
  const n0 = unitStart(u0, 1, N);
  const n1 = unitStart(u1, 1, N);
  const C4 = C & ~3;
  for (let n = n0; n < n1; n++) {
    const xr = x + <usize>n * C * 4;
    const yr = y + <usize>n * C * 4;
    let acc = f32x4.splat(0);
    for (let c = 0; c < C4; c += 4) {
      const v = v128.load(xr + (<usize>c << 2));
      acc = madd(v, v, acc);
    }
    let sq = hsum(acc);
    for (let c = C4; c < C; c++) {
      const v = load<f32>(xr + (<usize>c << 2));
      sq += v * v;
    }
    const r: f32 = 1 / Mathf.sqrt(sq / <f32>C + eps);
    const rv = f32x4.splat(r);
    for (let c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      v128.store(yr + o, f32x4.mul(f32x4.mul(v128.load(xr + o), rv), v128.load(gamma + o)));
    }
    for (let c = C4; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(yr + o, load<f32>(xr + o) * r * load<f32>(gamma + o));
    }
    store<f32>(rstd + (<usize>n << 2), r);
  }
}

/** dx[N, C] (=|+=) rstd * (dnorm - norm * mean(dnorm * norm)), dnorm = dy * gamma; block u's sums of dy * norm go to partials[u] ([blocks, C]). */
export function rmsNormBackward(tid: i32, u0: i32, u1: i32, dx: usize, dy: usize, x: usize, rstd: usize, gamma: usize, N: i32, C: i32, accumulate: i32, rows: i32, partials: usize): void {
  for (let u = u0; u < u1; u++) {
    const pg = partials + <usize>u * C * 4;
    memory.fill(pg, 0, <usize>C * 4);
    rmsNormBackwardRows(dx, dy, x, rstd, gamma, unitStart(u, rows, N), unitStart(u + 1, rows, N), C, accumulate, pg);
  }
}

function rmsNormBackwardRows(dx: usize, dy: usize, x: usize, rstd: usize, gamma: usize, n0: i32, n1: i32, C: i32, accumulate: i32, pg: usize): void {
  const C4 = C & ~3;
  for (let n = n0; n < n1; n++) {
    const xr = x + <usize>n * C * 4;
    const dyr = dy + <usize>n * C * 4;
    const dxr = dx + <usize>n * C * 4;
    const r = load<f32>(rstd + (<usize>n << 2));
    const rv = f32x4.splat(r);
    let a = f32x4.splat(0);
    for (let c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      const norm = f32x4.mul(v128.load(xr + o), rv);
      const dy4 = v128.load(dyr + o);
      a = madd(f32x4.mul(dy4, v128.load(gamma + o)), norm, a);
      v128.store(pg + o, madd(dy4, norm, v128.load(pg + o)));
    }
    let s = hsum(a);
    for (let c = C4; c < C; c++) {
      const o = <usize>c << 2;
      const norm = load<f32>(xr + o) * r;
      const dy1 = load<f32>(dyr + o);
      s += dy1 * load<f32>(gamma + o) * norm;
      store<f32>(pg + o, load<f32>(pg + o) + dy1 * norm);
    }
    s /= <f32>C;
    const sv = f32x4.splat(s);
    for (let c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      const norm = f32x4.mul(v128.load(xr + o), rv);
      const dnorm = f32x4.mul(v128.load(dyr + o), v128.load(gamma + o));
      let g = f32x4.mul(rv, f32x4.sub(dnorm, f32x4.mul(norm, sv)));
      if (accumulate) g = f32x4.add(g, v128.load(dxr + o));
      v128.store(dxr + o, g);
    }
    for (let c = C4; c < C; c++) {
      const o = <usize>c << 2;
      const norm = load<f32>(xr + o) * r;
      let g = r * (load<f32>(dyr + o) * load<f32>(gamma + o) - norm * s);
      if (accumulate) g += load<f32>(dxr + o);
      store<f32>(dxr + o, g);
    }
  }
}

/** dgamma[c] += the blocks' partials in block order, for the columns c of units [u0, u1). */
export function rmsNormReduce(tid: i32, u0: i32, u1: i32, dgamma: usize, C: i32, blocks: i32, partials: usize): void {
  for (let t = 0; t < blocks; t++) {
    const pg = partials + <usize>t * C * 4;
    for (let c = u0; c < min(u1, C); c++) {
      const o = <usize>c << 2;
      store<f32>(dgamma + o, load<f32>(dgamma + o) + load<f32>(pg + o));
    }
  }
}
