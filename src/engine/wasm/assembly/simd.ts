// SIMD helpers shared by the kernels. `madd` is a fused multiply-add in the relaxed-simd build and mul + add in the
// plain simd build (ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so only one branch is compiled).
//
// Vector constants come from a static table (`lane`): V8 rebuilds a v128.const in registers with several
// instructions at every use, while a load from a fixed address is one (measured: exp4 2.1 -> 1.2 ns per element).
// The table is the module's only data segment; it is (re)written with the same bytes when an instance is created,
// which happens only while the engine starts, before any kernel runs.

@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Sum of the four lanes. */
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Max of the four lanes. */
@inline export function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

// Constant slots, 16 bytes each (the value in all four lanes).
export const EXP_MIN = 0; // exp(EXP_MIN) is the smallest normal f32; lanes below it give 0
export const EXP_MAX = 1; // keeps n <= 127
export const LOG2E = 2;
export const ROUND_MAGIC = 3; // 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits
export const LN2_HI = 4; // ln 2 split so n * LN2_HI is exact (Cephes)
export const LN2_LO = 5;
export const INV_FACT = 6; // 1/7!, 1/6!, ..., 1/2!, 1/1!, 1/0! in slots 6 .. 13
export const EXP_BIAS = 14; // 127 << 23 (i32 lanes)
export const ONE = 15;
export const HALF = 16;
export const TWO = 17;
export const MINUS_SQRT1_2 = 18;
export const ERFC_P = 19; // Numerical Recipes erfcc coefficients, highest first, slots 19 .. 28
export const INV_SQRT_2PI = 29;
export const SQRT_2_OVER_PI = 30;
export const TANH_C = 31; // 0.044715
export const TANH_3C = 32;
export const MINUS_TWO = 33;
export const MINUS_HALF = 34;
export const TANH_SPLIT = 35; // 0.55: tanh by its odd polynomial below, by 1 - 2 / (exp(2|x|) + 1) above
export const TANH_Q = 36; // (tanh x - x) / x^3 as a polynomial in x^2 on [0, 0.55], highest first, slots 36 .. 40
export const SIGN = 41; // -0.0: the sign bit
const K: usize = memory.data<f32>([
  -87.33654, -87.33654, -87.33654, -87.33654,
  88.0, 88.0, 88.0, 88.0,
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341,
  12582912.0, 12582912.0, 12582912.0, 12582912.0,
  0.693359375, 0.693359375, 0.693359375, 0.693359375,
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4,
  1.0 / 5040.0, 1.0 / 5040.0, 1.0 / 5040.0, 1.0 / 5040.0,
  1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0,
  1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0,
  1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0,
  1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0,
  0.5, 0.5, 0.5, 0.5,
  1.0, 1.0, 1.0, 1.0,
  1.0, 1.0, 1.0, 1.0,
  1.0, 1.0, 1.0, 1.0, // as i32 lanes: 127 << 23
  1.0, 1.0, 1.0, 1.0,
  0.5, 0.5, 0.5, 0.5,
  2.0, 2.0, 2.0, 2.0,
  -0.70710678118654752, -0.70710678118654752, -0.70710678118654752, -0.70710678118654752,
  0.17087277, 0.17087277, 0.17087277, 0.17087277,
  -0.82215223, -0.82215223, -0.82215223, -0.82215223,
  1.48851587, 1.48851587, 1.48851587, 1.48851587,
  -1.13520398, -1.13520398, -1.13520398, -1.13520398,
  0.27886807, 0.27886807, 0.27886807, 0.27886807,
  -0.18628806, -0.18628806, -0.18628806, -0.18628806,
  0.09678418, 0.09678418, 0.09678418, 0.09678418,
  0.37409196, 0.37409196, 0.37409196, 0.37409196,
  1.00002368, 1.00002368, 1.00002368, 1.00002368,
  -1.26551223, -1.26551223, -1.26551223, -1.26551223,
  0.39894228040143268, 0.39894228040143268, 0.39894228040143268, 0.39894228040143268,
  0.79788456080286536, 0.79788456080286536, 0.79788456080286536, 0.79788456080286536,
  0.044715, 0.044715, 0.044715, 0.044715,
  0.134145, 0.134145, 0.134145, 0.134145,
  -2.0, -2.0, -2.0, -2.0,
  -0.5, -0.5, -0.5, -0.5,
  0.55, 0.55, 0.55, 0.55,
  -0.006274208020239689, -0.006274208020239689, -0.006274208020239689, -0.006274208020239689,
  0.02107165544122358, 0.02107165544122358, 0.02107165544122358, 0.02107165544122358,
  -0.053852303727400685, -0.053852303727400685, -0.053852303727400685, -0.053852303727400685,
  0.13332586073204872, 0.13332586073204872, 0.13332586073204872, 0.13332586073204872,
  -0.33333317557428555, -0.33333317557428555, -0.33333317557428555, -0.33333317557428555,
  -0.0, -0.0, -0.0, -0.0,
], 16);

/** Four keep bytes in {0, 1} at `keep` as f32 lanes (dropout masks). */
@inline export function keep4(keep: usize): v128 {
  return f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(keep))));
}

/** The constant in slot `s`, in all four lanes. */
@inline export function lane(s: i32): v128 {
  return v128.load(K + <usize>(s << 4));
}

/**
 * exp(x) per lane, about 1 ulp: x = n ln2 + r with |r| <= ln2 / 2, exp(r) by its degree-7 Taylor polynomial
 * (truncation below 5e-9 relative), times 2^n built in the exponent bits; n by magic-number rounding, whose low
 * mantissa bits shifted into the exponent field are n itself. Lanes below EXP_MIN give 0.
 */
@inline export function exp4(x: v128): v128 {
  const tiny = f32x4.lt(x, lane(EXP_MIN));
  x = f32x4.pmin(f32x4.pmax(x, lane(EXP_MIN)), lane(EXP_MAX)); // p-min/max: one instruction each on x64
  const t = madd(x, lane(LOG2E), lane(ROUND_MAGIC));
  const n = f32x4.sub(t, lane(ROUND_MAGIC));
  let r = f32x4.sub(x, f32x4.mul(n, lane(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, lane(LN2_LO)));
  let p = lane(INV_FACT);
  p = madd(p, r, lane(INV_FACT + 1));
  p = madd(p, r, lane(INV_FACT + 2));
  p = madd(p, r, lane(INV_FACT + 3));
  p = madd(p, r, lane(INV_FACT + 4));
  p = madd(p, r, lane(INV_FACT + 5));
  p = madd(p, r, lane(INV_FACT + 6));
  p = madd(p, r, lane(INV_FACT + 7));
  const scale = i32x4.add(i32x4.shl(t, 23), lane(EXP_BIAS));
  return v128.andnot(f32x4.mul(p, scale), tiny);
}
