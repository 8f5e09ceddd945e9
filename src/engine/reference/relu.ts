import type { Floats } from './floats.js';

// y[n] = max(x[n], 0) (y may alias x).
export function reluForward(y: Floats, x: Floats, n: number): void {
  for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
}

// dx[n] (=|+=) dy[n] where y[n] > 0 (the forward's output, as torch's threshold_backward), else 0.
export function reluBackward(dx: Floats, dy: Floats, y: Floats, n: number, accumulate: boolean): void {
  for (let i = 0; i < n; i++) {
    const g = y[i] > 0 ? dy[i] : 0;
    dx[i] = accumulate ? dx[i] + g : g;
  }
}
