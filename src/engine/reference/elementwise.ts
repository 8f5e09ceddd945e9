import type { Floats } from './floats.js';

// y[n] = a[n] + b[n] (y may alias a or b).
export function add(y: Floats, a: Floats, b: Floats, n: number): void {
  for (let i = 0; i < n; i++) y[i] = a[i] + b[i];
}

// x[n] *= s.
export function scale(x: Floats, n: number, s: number): void {
  for (let i = 0; i < n; i++) x[i] *= s;
}

// sum of x[n]^2 in f64 (gradient-norm clipping).
export function sumSquares(x: Floats, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] * x[i];
  return sum;
}
