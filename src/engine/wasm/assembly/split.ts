// A kernel runs units [u0, u1) of its job (worker-source.ts): unit u covers items [u * size, (u + 1) * size) of n, the
// last one clipped, so chunk boundaries fall on whole SIMD bodies (size 4) or GEMM panels.

@inline export function unitStart(u: i32, size: i32, n: i32): i32 {
  return min(n, u * size);
}
