import type { GeluForm } from '../engine.js';
import { erfc } from './erf.js';
import type { Floats } from './floats.js';

// erf form (BERT): gelu(x) = 0.5 x (1 + erf(x / sqrt 2)) = 0.5 x erfc(-x / sqrt 2),
//   gelu'(x) = Phi(x) + x phi(x).
// tanh form (GPT-2 gelu_new): gelu(x) = 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3),
//   gelu'(x) = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2).

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;
const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_TANH_C = 0.044715;

export function gelu(x: number, form: GeluForm): number {
  if (form === 'erf') return 0.5 * x * erfc(-x * SQRT1_2);
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
}

export function geluGrad(x: number, form: GeluForm): number {
  if (form === 'erf') return 0.5 * erfc(-x * SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
}

// y[n] = gelu(x[n]).
export function geluForward(y: Floats, x: Floats, n: number, form: GeluForm): void {
  for (let i = 0; i < n; i++) y[i] = gelu(x[i], form);
}

// dx[n] (=|+=) dy[n] * gelu'(x[n]).
export function geluBackward(dx: Floats, dy: Floats, x: Floats, n: number, form: GeluForm, accumulate: boolean): void {
  for (let i = 0; i < n; i++) {
    const g = dy[i] * geluGrad(x[i], form);
    dx[i] = accumulate ? dx[i] + g : g;
  }
}
