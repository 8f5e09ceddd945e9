// tanh, elementwise over [n], and its backward from the saved output. Per lane, as musl's tanhf splits at 0.55:
//   |x| < 0.55   x + x^3 Q(x^2), Q a degree-4 weighted least-squares fit (relative error of tanh below 1.1e-9);
//   |x| >= 0.55  sign(x) (1 - 2 / (exp(2|x|) + 1)), no cancellation since tanh >= 0.5 there; exp4 saturates to 1.
import { ONE, SIGN, TANH_Q, TANH_SPLIT, TWO, exp4, lane, madd } from './simd';
import { unitStart } from './split';

// On |x|, then the sign of x put back (tanh is odd; tanh(-0) = -0).
@inline function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const u = f32x4.mul(a, a);
  let q = lane(TANH_Q);
  q = madd(q, u, lane(TANH_Q + 1));
  q = madd(q, u, lane(TANH_Q + 2));
  q = madd(q, u, lane(TANH_Q + 3));
  q = madd(q, u, lane(TANH_Q + 4));
  const small = madd(f32x4.mul(a, u), q, a);
  const e = exp4(f32x4.add(a, a));
  const big = f32x4.sub(lane(ONE), f32x4.div(lane(TWO), f32x4.add(e, lane(ONE))));
  return v128.or(v128.bitselect(small, big, f32x4.lt(a, lane(TANH_SPLIT))), v128.and(x, lane(SIGN)));
}

/** y[n] = tanh(x[n]) (y may alias x). */
export function tanhForward(tid: i32, u0: i32, u1: i32, y: usize, x: usize, n: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, tanh4(v128.load(x + o)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(tanh4(f32x4.splat(load<f32>(x + o))), 0));
  }
}

/** dx[n] (=|+=) dy[n] * (1 - y[n]) (1 + y[n]), y = tanh(x) from the forward; the factored form keeps 1 - y^2 accurate as |y| -> 1. */
export function tanhBackward(tid: i32, u0: i32, u1: i32, dx: usize, dy: usize, y: usize, n: i32, accumulate: i32): void {
  const i0 = unitStart(u0, 4, n);
  const i1 = unitStart(u1, 4, n);
  const one = lane(ONE);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    const yv = v128.load(y + o);
    let g = f32x4.mul(v128.load(dy + o), f32x4.mul(f32x4.sub(one, yv), f32x4.add(one, yv)));
    if (accumulate) g = f32x4.add(g, v128.load(dx + o));
    v128.store(dx + o, g);
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const yv = load<f32>(y + o);
    let g = load<f32>(dy + o) * ((1 - yv) * (1 + yv));
    if (accumulate) g += load<f32>(dx + o);
    store<f32>(dx + o, g);
  }
}
