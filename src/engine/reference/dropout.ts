import type { Rng } from '../../rng/rng.js';
import { drawKeepMask } from '../engine.js';
import type { Floats } from './floats.js';

// 1 / (1 - p), and 0 for p = 1 (everything dropped, as torch gives).
export function keepScale(p: number): number {
  return p < 1 ? 1 / (1 - p) : 0;
}

// y[n] = x[n] * keep[n] / (1 - p); draws keep[n] from rng.
export function dropoutForward(y: Floats, keep: Uint8Array, x: Floats, n: number, p: number, rng: Rng): void {
  drawKeepMask(keep, n, p, rng);
  const s = keepScale(p);
  for (let i = 0; i < n; i++) y[i] = keep[i] ? x[i] * s : 0;
}

// dx[n] (=|+=) dy[n] * keep[n] / (1 - p).
export function dropoutBackward(
  dx: Floats,
  dy: Floats,
  keep: Uint8Array,
  n: number,
  p: number,
  accumulate: boolean,
): void {
  const s = keepScale(p);
  for (let i = 0; i < n; i++) {
    const g = keep[i] ? dy[i] * s : 0;
    dx[i] = accumulate ? dx[i] + g : g;
  }
}
