import type { Floats } from './floats.js';

// y[n] = tanh(x[n]) (y may alias x).
export function tanhForward(y: Floats, x: Floats, n: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
}

// dx[n] (=|+=) dy[n] * (1 - y[n]^2), y = tanh(x) saved by the forward.
export function tanhBackward(dx: Floats, dy: Floats, y: Floats, n: number, accumulate: boolean): void {
  for (let i = 0; i < n; i++) {
    const g = dy[i] * (1 - y[i] * y[i]);
    dx[i] = accumulate ? dx[i] + g : g;
  }
}
