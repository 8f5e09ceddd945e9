// wasm backward kernels against central finite differences of the wasm forward (f32, so h is large and the
// tolerance loose): directional derivatives <grad, u> = (L(x + h u) - L(x - h u)) / 2h for random directions u.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import type { AttentionDropout, Engine } from '../engine.js';
import { randn } from '../reference/check.case.js';
import { drawKeepMask } from '../engine.js';
import { createWasmEngine, put } from './engine-pair.case.js';

function directional(
  e: Engine,
  x: Float32Array,
  grad: Float32Array,
  loss: () => number,
  purpose: string,
  h: number,
): [number, number] {
  const u = randn(x.length, `direction ${purpose}`);
  const x0 = Float64Array.from(x);
  const at = (s: number) => {
    for (let i = 0; i < x.length; i++) x[i] = x0[i] + s * u[i];
    return loss();
  };
  const numeric = (at(h) - at(-h)) / (2 * h);
  at(0);
  let analytic = 0;
  for (let i = 0; i < x.length; i++) analytic += grad[i] * u[i];
  return [analytic, numeric];
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('wasm backward vs finite differences', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await createWasmEngine({ threads: 2, splitAll: true });
  });
  afterAll(() => e.dispose());

  it('layerNorm: dx, dgamma, dbeta', () => {
    const [N, C] = [6, 37];
    const x = put(e, randn(N * C, 'x', 2));
    const gamma = put(
      e,
      randn(C, 'g').map((v) => 1 + 0.3 * v),
    );
    const beta = put(e, randn(C, 'b'));
    const w = put(e, randn(N * C, 'w'));
    const y = e.alloc(N * C),
      mean = e.alloc(N),
      rstd = e.alloc(N);
    const loss = () => {
      e.layerNormForward(y, mean, rstd, x, gamma, beta, N, C, 1e-5);
      return dot(y, w);
    };
    loss();
    const dx = e.alloc(N * C),
      dg = e.alloc(C),
      db = e.alloc(C);
    e.layerNormBackward(dx, dg, db, w, x, mean, rstd, gamma, N, C, false);
    for (const [t, g, name] of [
      [x, dx, 'x'],
      [gamma, dg, 'gamma'],
      [beta, db, 'beta'],
    ] as const) {
      const [analytic, numeric] = directional(e, t, g, loss, name, 1e-2);
      expect(Math.abs(analytic - numeric) / Math.abs(numeric), name).toBeLessThan(2e-3);
    }
  });

  for (const p of [0, 0.3]) {
    it(`attention with a causal mask${p > 0 ? ' and dropout on the probabilities (fixed keep mask)' : ''}: dqkv`, () => {
      const [B, T, C, H] = [2, 9, 12, 3];
      const qkv = put(e, randn(B * T * 3 * C, 'qkv'));
      const mask = e.alloc(B * T * T);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++) for (let u = t + 1; u < T; u++) mask[(b * T + t) * T + u] = -1e9;
      let dropout: AttentionDropout | undefined;
      if (p > 0) {
        dropout = { p, keep: e.allocBytes(B * H * T * T) };
        drawKeepMask(dropout.keep, dropout.keep.length, p, Rng.of(5, 0, 0, 'attention dropout'));
      }
      const w = put(e, randn(B * T * C, 'w'));
      const out = e.alloc(B * T * C),
        probs = e.alloc(B * H * T * T);
      const loss = () => {
        e.attentionForward(out, probs, qkv, mask, B, T, C, H, dropout);
        return dot(out, w);
      };
      loss();
      const dqkv = e.alloc(B * T * 3 * C);
      e.attentionBackward(dqkv, w, qkv, probs, B, T, C, H, dropout);
      for (const purpose of ['u1', 'u2']) {
        const [analytic, numeric] = directional(e, qkv, dqkv, loss, purpose, 1e-2);
        expect(Math.abs(analytic - numeric) / Math.abs(numeric)).toBeLessThan(2e-3);
      }
    });
  }

  it('gelu (both forms): elementwise derivative', () => {
    const n = 257;
    const x = put(e, randn(n, 'x', 3));
    const y1 = e.alloc(n),
      y2 = e.alloc(n),
      dx = e.alloc(n),
      ones = put(e, new Float32Array(n).fill(1));
    const h = 1e-2;
    for (const form of ['erf', 'tanh'] as const) {
      e.geluBackward(dx, ones, x, n, form, false);
      const xp = put(
        e,
        x.map((v) => v + h),
      );
      const xm = put(
        e,
        x.map((v) => v - h),
      );
      e.geluForward(y1, xp, n, form);
      e.geluForward(y2, xm, n, form);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs((y1[i] - y2[i]) / (2 * h) - dx[i]));
      expect(worst, form).toBeLessThan(2e-4);
    }
  });

  it('tanh: elementwise derivative from the saved output', () => {
    const n = 257;
    const x = put(e, randn(n, 'x', 3));
    const y = e.alloc(n),
      y1 = e.alloc(n),
      y2 = e.alloc(n),
      dx = e.alloc(n),
      ones = put(e, new Float32Array(n).fill(1));
    const h = 1e-2;
    e.tanhForward(y, x, n);
    e.tanhBackward(dx, ones, y, n, false);
    e.tanhForward(
      y1,
      put(
        e,
        x.map((v) => v + h),
      ),
      n,
    );
    e.tanhForward(
      y2,
      put(
        e,
        x.map((v) => v - h),
      ),
      n,
    );
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs((y1[i] - y2[i]) / (2 * h) - dx[i]));
    expect(worst).toBeLessThan(2e-4);
  });
});
