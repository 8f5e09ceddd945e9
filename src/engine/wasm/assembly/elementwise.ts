// Elementwise kernels over [n]; a unit is 4 elements (one SIMD body).
import { keep4, madd } from './simd';
import { unitStart } from './split';

/** y[n] = a[n] + b[n] (y may alias a or b). */
export function add(tid: i32, u0: i32, u1: i32, y: usize, a: usize, b: usize, n: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < i1; i++) store<f32>(y + (<usize>i << 2), load<f32>(a + (<usize>i << 2)) + load<f32>(b + (<usize>i << 2)));
}

/** x[n] *= s. */
export function scale(tid: i32, u0: i32, u1: i32, x: usize, n: i32, s: f32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  const sv = f32x4.splat(s);
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(x + (<usize>i << 2), f32x4.mul(v128.load(x + (<usize>i << 2)), sv));
  for (; i < i1; i++) store<f32>(x + (<usize>i << 2), load<f32>(x + (<usize>i << 2)) * s);
}

/** Elements per sumSquares block: the host sums the blocks' f64 partials in order, the same for any thread count. */
export const SUM_BLOCK: i32 = 16384; // wasm-engine.ts SUM_BLOCK

/** out[u] (f64) = sum of x[i]^2 over block u's elements, for the blocks u of [u0, u1), accumulated in f64x2. */
export function sumSquares(tid: i32, u0: i32, u1: i32, x: usize, n: i32, out: usize): void {
  for (let u = u0; u < u1; u++) store<f64>(out + (<usize>u << 3), sumSquaresOf(x, unitStart(u, SUM_BLOCK, n), unitStart(u + 1, SUM_BLOCK, n)));
}

function sumSquaresOf(x: usize, i0: i32, i1: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const a = f64x2.promote_low_f32x4(v);
    const b = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  const both = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; i < i1; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    s += v * v;
  }
  return s;
}

/** out[n] (=|+=) inp[n] * keep[n] * s, keep bytes in {0, 1} (dropout forward and backward). */
export function maskScale(tid: i32, u0: i32, u1: i32, out: usize, inp: usize, keep: usize, n: i32, s: f32, accumulate: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  const sv = f32x4.splat(s);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    let g = f32x4.mul(f32x4.mul(v128.load(inp + o), keep4(keep + <usize>i)), sv);
    if (accumulate) g = f32x4.add(g, v128.load(out + o));
    v128.store(out + o, g);
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    let g: f32 = load<u8>(keep + <usize>i) ? load<f32>(inp + o) * s : 0;
    if (accumulate) g += load<f32>(out + o);
    store<f32>(out + o, g);
  }
}

/** db[O] += column sums of dy[N, O]; a unit is 4 columns. */
export function colSumAdd(tid: i32, u0: i32, u1: i32, db: usize, dy: usize, N: i32, O: i32): void {
  const o0 = unitStart(u0, 4, O);
  const o1 = unitStart(u1, 4, O);
  let o = o0;
  for (; o + 4 <= o1; o += 4) {
    let acc = f32x4.splat(0);
    for (let n = 0; n < N; n++) acc = f32x4.add(acc, v128.load(dy + (<usize>n * O + <usize>o) * 4));
    v128.store(db + (<usize>o << 2), f32x4.add(v128.load(db + (<usize>o << 2)), acc));
  }
  for (; o < o1; o++) {
    let s: f32 = 0;
    for (let n = 0; n < N; n++) s += load<f32>(dy + (<usize>n * O + <usize>o) * 4);
    store<f32>(db + (<usize>o << 2), load<f32>(db + (<usize>o << 2)) + s);
  }
}

/**
 * AdamW (torch.optim.AdamW): param = param * decay - stepSize * m / (sqrt(v) / bc2Sqrt + eps) after the moment
 * updates; the host passes decay = 1 - lr * wd, stepSize = lr / (1 - b1^t), bc2Sqrt = sqrt(1 - b2^t).
 */
export function adamw(tid: i32, u0: i32, u1: i32, param: usize, grad: usize, m: usize, v: usize, n: i32, decay: f32, stepSize: f32, b1: f32, b2: f32, bc2Sqrt: f32, eps: f32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  const b1v = f32x4.splat(b1), c1v = f32x4.splat(1 - b1);
  const b2v = f32x4.splat(b2), c2v = f32x4.splat(1 - b2);
  const dv = f32x4.splat(decay), sv = f32x4.splat(stepSize), bv = f32x4.splat(1 / bc2Sqrt), ev = f32x4.splat(eps);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(grad + o);
    const m4 = madd(b1v, v128.load(m + o), f32x4.mul(c1v, g));
    const v4 = madd(b2v, v128.load(v + o), f32x4.mul(c2v, f32x4.mul(g, g)));
    v128.store(m + o, m4);
    v128.store(v + o, v4);
    const denom = madd(f32x4.sqrt(v4), bv, ev);
    v128.store(param + o, f32x4.sub(f32x4.mul(v128.load(param + o), dv), f32x4.div(f32x4.mul(sv, m4), denom)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(grad + o);
    const m1 = b1 * load<f32>(m + o) + (1 - b1) * g;
    const v1 = b2 * load<f32>(v + o) + (1 - b2) * g * g;
    store<f32>(m + o, m1);
    store<f32>(v + o, v1);
    store<f32>(param + o, load<f32>(param + o) * decay - (stepSize * m1) / (Mathf.sqrt(v1) / bc2Sqrt + eps));
  }
}

/** y[n] = max(x[n], 0) (y may alias x). */
export function reluForward(tid: i32, u0: i32, u1: i32, y: usize, x: usize, n: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  const zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(y + (<usize>i << 2), f32x4.pmax(v128.load(x + (<usize>i << 2)), zero));
  for (; i < i1; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(y + (<usize>i << 2), v > 0 ? v : 0);
  }
}

/** dx[n] (=|+=) dy[n] where y[n] > 0, else 0. */
export function reluBackward(tid: i32, u0: i32, u1: i32, dx: usize, dy: usize, y: usize, n: i32, accumulate: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  const zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    let g = v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), zero));
    if (accumulate) g = f32x4.add(g, v128.load(dx + o));
    v128.store(dx + o, g);
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    let g: f32 = load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0;
    if (accumulate) g += load<f32>(dx + o);
    store<f32>(dx + o, g);
  }
}
