// LayerNorm over rows of [N, C], biased variance, two-pass mean / variance. Forward units are rows. Backward units
// are blocks of `rows` rows, each summing its dgamma / dbeta into its own partials [2, C], which layerNormReduce
// folds in block order: the host fixes the blocks by N alone, so the sums are bit-identical for any thread count.
import { hsum, madd } from './simd';
import { unitStart } from './split';

/** y[N, C] = (x - mean) * rstd * gamma + beta; mean[N], rstd[N] saved. */
export function layerNormForward(tid: i32, u0: i32, u1: i32, y: usize, mean: usize, rstd: usize, x: usize, gamma: usize, beta: usize, N: i32, C: i32, eps: f32): void {
  const n0 = unitStart(u0, 1, N);
  const n1 = unitStart(u1, 1, N);
  const C4 = C & ~3;
  for (let n = n0; n < n1; n++) {
    const xr = x + <usize>n * C * 4;
    const yr = y + <usize>n * C * 4;
    let acc = f32x4.splat(0);
    for (let c = 0; c < C4; c += 4) acc = f32x4.add(acc, v128.load(xr + (<usize>c << 2)));
    let sum = hsum(acc);
    for (let c = C4; c < C; c++) sum += load<f32>(xr + (<usize>c << 2));
    const m = sum / <f32>C;
    const mv = f32x4.splat(m);
    acc = f32x4.splat(0);
    for (let c = 0; c < C4; c += 4) {
      const d = f32x4.sub(v128.load(xr + (<usize>c << 2)), mv);
      acc = madd(d, d, acc);
    }
    let sq = hsum(acc);
    for (let c = C4; c < C; c++) {
      const d = load<f32>(xr + (<usize>c << 2)) - m;
      sq += d * d;
    }
    const r: f32 = 1 / Mathf.sqrt(sq / <f32>C + eps);
    const rv = f32x4.splat(r);
    for (let c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      const norm = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      v128.store(yr + o, madd(norm, v128.load(gamma + o), v128.load(beta + o)));
    }
    for (let c = C4; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(yr + o, (load<f32>(xr + o) - m) * r * load<f32>(gamma + o) + load<f32>(beta + o));
    }
    store<f32>(mean + (<usize>n << 2), m);
    store<f32>(rstd + (<usize>n << 2), r);
  }
}

/**
 * dx[N, C] (=|+=) rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)), dnorm = dy * gamma; block u's sums
 * of dy * norm and dy go to partials[u] ([blocks, 2, C]).
 */
export function layerNormBackward(tid: i32, u0: i32, u1: i32, dx: usize, dy: usize, x: usize, mean: usize, rstd: usize, gamma: usize, N: i32, C: i32, accumulate: i32, rows: i32, partials: usize): void {
  for (let u = u0; u < u1; u++) {
    const pg = partials + <usize>u * C * 8;
    memory.fill(pg, 0, <usize>C * 8);
    layerNormBackwardRows(dx, dy, x, mean, rstd, gamma, unitStart(u, rows, N), unitStart(u + 1, rows, N), C, accumulate, pg);
  }
}

function layerNormBackwardRows(dx: usize, dy: usize, x: usize, mean: usize, rstd: usize, gamma: usize, n0: i32, n1: i32, C: i32, accumulate: i32, pg: usize): void {
  const pb = pg + <usize>C * 4;
  const C4 = C & ~3;
  for (let n = n0; n < n1; n++) {
    const xr = x + <usize>n * C * 4;
    const dyr = dy + <usize>n * C * 4;
    const dxr = dx + <usize>n * C * 4;
    const m = load<f32>(mean + (<usize>n << 2));
    const r = load<f32>(rstd + (<usize>n << 2));
    const mv = f32x4.splat(m);
    const rv = f32x4.splat(r);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    for (let c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      const norm = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      const dy4 = v128.load(dyr + o);
      const dnorm = f32x4.mul(dy4, v128.load(gamma + o));
      a1 = f32x4.add(a1, dnorm);
      a2 = madd(dnorm, norm, a2);
      v128.store(pg + o, madd(dy4, norm, v128.load(pg + o)));
      v128.store(pb + o, f32x4.add(v128.load(pb + o), dy4));
    }
    let s1 = hsum(a1);
    let s2 = hsum(a2);
    for (let c = C4; c < C; c++) {
      const o = <usize>c << 2;
      const norm = (load<f32>(xr + o) - m) * r;
      const dy1 = load<f32>(dyr + o);
      const dnorm = dy1 * load<f32>(gamma + o);
      s1 += dnorm;
      s2 += dnorm * norm;
      store<f32>(pg + o, load<f32>(pg + o) + dy1 * norm);
      store<f32>(pb + o, load<f32>(pb + o) + dy1);
    }
    s1 /= <f32>C;
    s2 /= <f32>C;
    const s1v = f32x4.splat(s1);
    const s2v = f32x4.splat(s2);
    for (let c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      const norm = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      const dnorm = f32x4.mul(v128.load(dyr + o), v128.load(gamma + o));
      let g = f32x4.mul(rv, f32x4.sub(f32x4.sub(dnorm, s1v), f32x4.mul(norm, s2v)));
      if (accumulate) g = f32x4.add(g, v128.load(dxr + o));
      v128.store(dxr + o, g);
    }
    for (let c = C4; c < C; c++) {
      const o = <usize>c << 2;
      const norm = (load<f32>(xr + o) - m) * r;
      const dnorm = load<f32>(dyr + o) * load<f32>(gamma + o);
      let g = r * (dnorm - s1 - norm * s2);
      if (accumulate) g += load<f32>(dxr + o);
      store<f32>(dxr + o, g);
    }
  }
}

/** dgamma[c] += the blocks' partials in block order, dbeta[c] likewise, for the columns c of units [u0, u1). */
export function layerNormReduce(tid: i32, u0: i32, u1: i32, dgamma: usize, dbeta: usize, C: i32, blocks: i32, partials: usize): void {
  for (let t = 0; t < blocks; t++) {
    const pg = partials + <usize>t * C * 8;
    const pb = pg + <usize>C * 4;
    for (let c = u0; c < min(u1, C); c++) {
      const o = <usize>c << 2;
      store<f32>(dgamma + o, load<f32>(dgamma + o) + load<f32>(pg + o));
      store<f32>(dbeta + o, load<f32>(dbeta + o) + load<f32>(pb + o));
    }
  }
}
