// GELU, elementwise over [n]; form 0 = erf (BERT), 1 = tanh (GPT-2 gelu_new).
// erf form: gelu(x) = 0.5 x erfc(-x / sqrt 2), with erfc from Numerical Recipes' Chebyshev fit `erfcc`
// (fractional error < 1.2e-7 everywhere, so the negative tail keeps its relative accuracy):
//   erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + |z| / 2), reflected as 2 - erfc(|z|) for z < 0.
// tanh form: 0.5 x (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3).
import { ERFC_P, HALF, INV_SQRT_2PI, MINUS_HALF, MINUS_SQRT1_2, MINUS_TWO, ONE, SQRT_2_OVER_PI, TANH_3C, TANH_C, TWO, exp4, lane, madd } from './simd';
import { unitStart } from './split';

// erfc(-x / sqrt 2) = 1 + erf(x / sqrt 2), per lane.
@inline function onePlusErf(x: v128): v128 {
  const z = f32x4.mul(x, lane(MINUS_SQRT1_2));
  const az = f32x4.abs(z);
  const t = f32x4.div(lane(ONE), madd(az, lane(HALF), lane(ONE)));
  let p = lane(ERFC_P);
  p = madd(p, t, lane(ERFC_P + 1));
  p = madd(p, t, lane(ERFC_P + 2));
  p = madd(p, t, lane(ERFC_P + 3));
  p = madd(p, t, lane(ERFC_P + 4));
  p = madd(p, t, lane(ERFC_P + 5));
  p = madd(p, t, lane(ERFC_P + 6));
  p = madd(p, t, lane(ERFC_P + 7));
  p = madd(p, t, lane(ERFC_P + 8));
  p = madd(p, t, lane(ERFC_P + 9));
  const r = f32x4.mul(t, exp4(f32x4.sub(p, f32x4.mul(az, az))));
  return v128.bitselect(r, f32x4.sub(lane(TWO), r), f32x4.ge(z, f32x4.splat(0)));
}

// u = sqrt(2/pi) (x + 0.044715 x^3)
@inline function tanhArg(x: v128, x2: v128): v128 {
  return f32x4.mul(lane(SQRT_2_OVER_PI), madd(f32x4.mul(x2, lane(TANH_C)), x, x));
}

@inline function forward4(x: v128, form: i32): v128 {
  if (form == 0) return f32x4.mul(f32x4.mul(x, lane(HALF)), onePlusErf(x));
  const e = exp4(f32x4.mul(tanhArg(x, f32x4.mul(x, x)), lane(MINUS_TWO)));
  return f32x4.div(x, f32x4.add(lane(ONE), e));
}

// gelu'(x): erf form Phi(x) + x phi(x); tanh form s + 2 x s (1 - s) u', s = sigmoid(2u), s (1 - s) = e s^2.
@inline function grad4(x: v128, form: i32): v128 {
  const x2 = f32x4.mul(x, x);
  if (form == 0) {
    const pdf = f32x4.mul(lane(INV_SQRT_2PI), exp4(f32x4.mul(x2, lane(MINUS_HALF))));
    return madd(x, pdf, f32x4.mul(lane(HALF), onePlusErf(x)));
  }
  const du = f32x4.mul(lane(SQRT_2_OVER_PI), madd(x2, lane(TANH_3C), lane(ONE)));
  const e = exp4(f32x4.mul(tanhArg(x, x2), lane(MINUS_TWO)));
  const s = f32x4.div(lane(ONE), f32x4.add(lane(ONE), e));
  const ss = f32x4.mul(f32x4.mul(e, s), s);
  return madd(f32x4.mul(f32x4.add(x, x), ss), du, s);
}

/** y[n] = gelu(x[n]). */
export function geluForward(tid: i32, u0: i32, u1: i32, y: usize, x: usize, n: i32, form: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
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
export function geluBackward(tid: i32, u0: i32, u1: i32, dx: usize, dy: usize, x: usize, n: i32, form: i32, accumulate: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
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

/** y[N, F] = gelu_tanh(h[n, f]) * h[n, F + f] (T5 v1.1 gated GELU over the packed wi_0 | wi_1 output h[N, 2F]); a row per unit. */
export function gatedGeluForward(tid: i32, u0: i32, u1: i32, y: usize, h: usize, N: i32, F: i32): void {
  const n0 = unitStart(u0, 1, N);
  const n1 = unitStart(u1, 1, N);
  for (let n = n0; n < n1; n++) {
    const gate = h + <usize>n * F * 8;
    const lin = gate + <usize>F * 4;
    const yr = y + <usize>n * F * 4;
    let f = 0;
    for (; f + 4 <= F; f += 4) {
      const o = <usize>f << 2;
      v128.store(yr + o, f32x4.mul(forward4(v128.load(gate + o), 1), v128.load(lin + o)));
    }
    for (; f < F; f++) {
      const o = <usize>f << 2;
      store<f32>(yr + o, f32x4.extract_lane(forward4(f32x4.splat(load<f32>(gate + o)), 1), 0) * load<f32>(lin + o));
    }
  }
}

/** dh[N, 2F] (overwritten) from dy[N, F]: d gate = dy * lin * gelu'(gate), d lin = dy * gelu(gate). */
export function gatedGeluBackward(tid: i32, u0: i32, u1: i32, dh: usize, dy: usize, h: usize, N: i32, F: i32): void {
  const n0 = unitStart(u0, 1, N);
  const n1 = unitStart(u1, 1, N);
  for (let n = n0; n < n1; n++) {
    const gate = h + <usize>n * F * 8;
    const lin = gate + <usize>F * 4;
    const dgate = dh + <usize>n * F * 8;
    const dlin = dgate + <usize>F * 4;
    const dyr = dy + <usize>n * F * 4;
    let f = 0;
    for (; f + 4 <= F; f += 4) {
      const o = <usize>f << 2;
      const g = v128.load(gate + o);
      const d = v128.load(dyr + o);
      v128.store(dgate + o, f32x4.mul(f32x4.mul(d, v128.load(lin + o)), grad4(g, 1)));
      v128.store(dlin + o, f32x4.mul(d, forward4(g, 1)));
    }
    for (; f < F; f++) {
      const o = <usize>f << 2;
      const g = f32x4.splat(load<f32>(gate + o));
      const d = load<f32>(dyr + o);
      store<f32>(dgate + o, d * load<f32>(lin + o) * f32x4.extract_lane(grad4(g, 1), 0));
      store<f32>(dlin + o, d * f32x4.extract_lane(forward4(g, 1), 0));
    }
  }
}
