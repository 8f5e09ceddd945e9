// GELU, elementwise over [n]; form 0 = erf (BERT), 1 = tanh (GPT-2 gelu_new).
// erf form: gelu(x) = 0.5 x erfc(-x / sqrt 2), with erfc from Numerical Recipes' Chebyshev fit `erfcc`
// (fractional error < 1.2e-7 everywhere, so the negative tail keeps its relative accuracy):
//   erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + |z| / 2), reflected as 2 - erfc(|z|) for z < 0.
// tanh form: 0.5 x (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3).
import { exp4, madd } from './simd';
import { shareEnd, shareStart } from './split';

const SQRT1_2: f32 = 0.70710678118654752;
const INV_SQRT_2PI: f32 = 0.39894228040143268;
const SQRT_2_OVER_PI: f32 = 0.79788456080286536;
const TANH_C: f32 = 0.044715;

// erfc(-x / sqrt 2) = 1 + erf(x / sqrt 2), per lane.
@inline function onePlusErf(x: v128): v128 {
  const z = f32x4.mul(x, f32x4.splat(-SQRT1_2));
  const az = f32x4.abs(z);
  const t = f32x4.div(f32x4.splat(1), madd(az, f32x4.splat(0.5), f32x4.splat(1)));
  let p = f32x4.splat(0.17087277);
  p = madd(p, t, f32x4.splat(-0.82215223));
  p = madd(p, t, f32x4.splat(1.48851587));
  p = madd(p, t, f32x4.splat(-1.13520398));
  p = madd(p, t, f32x4.splat(0.27886807));
  p = madd(p, t, f32x4.splat(-0.18628806));
  p = madd(p, t, f32x4.splat(0.09678418));
  p = madd(p, t, f32x4.splat(0.37409196));
  p = madd(p, t, f32x4.splat(1.00002368));
  p = madd(p, t, f32x4.splat(-1.26551223));
  const r = f32x4.mul(t, exp4(f32x4.sub(p, f32x4.mul(az, az))));
  return v128.bitselect(r, f32x4.sub(f32x4.splat(2), r), f32x4.ge(z, f32x4.splat(0)));
}

@inline function forward4(x: v128, form: i32): v128 {
  if (form == 0) return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), onePlusErf(x));
  const x2 = f32x4.mul(x, x);
  const u = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), madd(f32x4.mul(x2, f32x4.splat(TANH_C)), x, x));
  const e = exp4(f32x4.mul(u, f32x4.splat(-2)));
  return f32x4.div(x, f32x4.add(f32x4.splat(1), e));
}

// gelu'(x): erf form Phi(x) + x phi(x); tanh form s + 2 x s (1 - s) u', s = sigmoid(2u), s (1 - s) = e s^2.
@inline function grad4(x: v128, form: i32): v128 {
  const x2 = f32x4.mul(x, x);
  if (form == 0) {
    const pdf = f32x4.mul(f32x4.splat(INV_SQRT_2PI), exp4(f32x4.mul(x2, f32x4.splat(-0.5))));
    return madd(x, pdf, f32x4.mul(f32x4.splat(0.5), onePlusErf(x)));
  }
  const u = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), madd(f32x4.mul(x2, f32x4.splat(TANH_C)), x, x));
  const du = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), madd(x2, f32x4.splat(3 * TANH_C), f32x4.splat(1)));
  const e = exp4(f32x4.mul(u, f32x4.splat(-2)));
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  const ss = f32x4.mul(f32x4.mul(e, s), s);
  return madd(f32x4.mul(f32x4.add(x, x), ss), du, s);
}

/** y[n] = gelu(x[n]). */
export function geluForward(tid: i32, nt: i32, y: usize, x: usize, n: i32, form: i32): void {
  const i0 = shareStart(tid, nt, n, 4);
  const i1 = shareEnd(tid, nt, n, 4);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, forward4(v128.load(x + o), form));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(forward4(f32x4.splat(load<f32>(x + o)), form), 0));
  }
}

/** dx[n] (=|+=) dy[n] * gelu'(x[n]). */
export function geluBackward(tid: i32, nt: i32, dx: usize, dy: usize, x: usize, n: i32, form: i32, accumulate: i32): void {
  const i0 = shareStart(tid, nt, n, 4);
  const i1 = shareEnd(tid, nt, n, 4);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    let g = f32x4.mul(v128.load(dy + o), grad4(v128.load(x + o), form));
    if (accumulate) g = f32x4.add(g, v128.load(dx + o));
    v128.store(dx + o, g);
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    let g = load<f32>(dy + o) * f32x4.extract_lane(grad4(f32x4.splat(load<f32>(x + o)), form), 0);
    if (accumulate) g += load<f32>(dx + o);
    store<f32>(dx + o, g);
  }
}
