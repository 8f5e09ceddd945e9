// Even shares of [0, n) for nt threads, boundaries rounded to `align` so SIMD bodies stay whole.

@inline export function shareStart(tid: i32, nt: i32, n: i32, align: i32): i32 {
  const step = ((n + align - 1) / align + nt - 1) / nt * align;
  return min(n, tid * step);
}

@inline export function shareEnd(tid: i32, nt: i32, n: i32, align: i32): i32 {
  return shareStart(tid + 1, nt, n, align);
}
