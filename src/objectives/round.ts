// Counts derived from rates round half to even, as Python's round, NumPy and TF do (30 x 0.15 = 4.5 -> 4).

/** Round to the nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
