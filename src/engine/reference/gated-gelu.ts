import type { Floats } from './floats.js';
import { gelu, geluGrad } from './gelu.js';

// T5 v1.1's gated GELU (T5DenseGatedActDense, feed_forward_proj 'gated-gelu' = gelu_new, the tanh form) over the
// packed output h[N, 2F] of wi_0 (columns [0, F), the gate) and wi_1 (columns [F, 2F), the linear part).

// y[N, F] = gelu(gate) * lin.
export function gatedGeluForward(y: Floats, h: Floats, N: number, F: number): void {
  for (let n = 0; n < N; n++) {
    const o = n * 2 * F;
    for (let f = 0; f < F; f++) y[n * F + f] = gelu(h[o + f], 'tanh') * h[o + F + f];
  }
}

// dh[N, 2F] (overwritten) from dy[N, F]: d gate = dy * lin * gelu'(gate), d lin = dy * gelu(gate).
export function gatedGeluBackward(dh: Floats, dy: Floats, h: Floats, N: number, F: number): void {
  for (let n = 0; n < N; n++) {
    const o = n * 2 * F;
    for (let f = 0; f < F; f++) {
      const g = dy[n * F + f];
      dh[o + f] = g * h[o + F + f] * geluGrad(h[o + f], 'tanh');
      dh[o + F + f] = g * gelu(h[o + f], 'tanh');
    }
  }
}
