// LayerNorm over rows of [N, C], biased variance, two-pass mean / variance. Threads split rows; dgamma / dbeta
// are summed per thread into the workspace partials and folded in by layerNormReduce.
import { WS_BYTES, WS_PARTIAL } from './gemm';
import { hsum, madd } from './simd';
import { shareEnd, shareStart } from './split';

/** y[N, C] = (x - mean) * rstd * gamma + beta; mean[N], rstd[N] saved. */
export function layerNormForward(tid: i32, nt: i32, y: usize, mean: usize, rstd: usize, x: usize, gamma: usize, beta: usize, N: i32, C: i32, eps: f32): void {
  const n0 = shareStart(tid, nt, N, 1);
  const n1 = shareEnd(tid, nt, N, 1);
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
 * dx[N, C] (=|+=) rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)), dnorm = dy * gamma; this thread's
 * sums of dy * norm and dy go to its workspace partials [2, C] (C <= WS_PARTIAL_FLOATS / 2).
 */
export function layerNormBackward(tid: i32, nt: i32, dx: usize, dy: usize, x: usize, mean: usize, rstd: usize, gamma: usize, N: i32, C: i32, accumulate: i32, ws: usize): void {
  const pg = ws + <usize>tid * WS_BYTES + WS_PARTIAL;
  const pb = pg + <usize>C * 4;
  memory.fill(pg, 0, <usize>C * 8);
  const n0 = shareStart(tid, nt, N, 1);
  const n1 = shareEnd(tid, nt, N, 1);
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

/** dgamma[C] += sum of the threads' partials, dbeta[C] likewise (run on one thread after layerNormBackward). */
export function layerNormReduce(tid: i32, nt: i32, dgamma: usize, dbeta: usize, C: i32, threads: i32, ws: usize): void {
  for (let t = 0; t < threads; t++) {
    const pg = ws + <usize>t * WS_BYTES + WS_PARTIAL;
    const pb = pg + <usize>C * 4;
    for (let c = 0; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(dgamma + o, load<f32>(dgamma + o) + load<f32>(pg + o));
      store<f32>(dbeta + o, load<f32>(dbeta + o) + load<f32>(pb + o));
    }
  }
}
