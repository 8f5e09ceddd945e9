// The T5 kernels (RMSNorm, ReLU, gated GELU, relative position bias, biased attention with Tq != Tk) on wasm
// against the reference kernels, to 1e-4 relative, on 1 and 2 threads and both builds; then wasm's RMSNorm and
// biased-attention backward against central finite differences of the wasm forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import type { AttentionDropout, AttentionShape, Engine } from '../engine.js';
import { randn, relErr } from '../reference/check.case.js';
import { drawKeepMask } from '../engine.js';
import { CONFIGS, createWasmEngine, label, pair, put, putInt, reference as ref } from './engine-pair.case.js';

const TOL = 1e-4;

function keepMask(e: Engine, n: number, p: number): [AttentionDropout, AttentionDropout] {
  const keep = new Uint8Array(n);
  drawKeepMask(keep, n, p, Rng.of(9, 0, 0, 'keep'));
  const wk = e.allocBytes(n);
  wk.set(keep);
  return [
    { p, keep },
    { p, keep: wk },
  ];
}

for (const config of CONFIGS) {
  describe(`wasm T5 kernels vs reference (${label(config)})`, () => {
    let e: Engine;
    beforeAll(async () => {
      e = await createWasmEngine(config);
    });
    afterAll(() => e.dispose());

    it('rmsNorm forward and backward (accumulate or not), odd C', () => {
      for (const [N, C] of [
        [1, 3],
        [7, 37],
        [33, 64],
      ]) {
        const [x, wx] = pair(e, N * C, 'x', 2);
        const [g, wg] = pair(e, C, 'g');
        const [y, wy] = pair(e, N * C, 'y');
        const [r, wr] = pair(e, N, 'r');
        ref.rmsNormForward(y, r, x, g, N, C, 1e-6);
        e.rmsNormForward(wy, wr, wx, wg, N, C, 1e-6);
        expect(relErr(wy, y)).toBeLessThan(TOL);
        expect(relErr(wr, r)).toBeLessThan(TOL);
        const [dy, wdy] = pair(e, N * C, 'dy');
        for (const accumulate of [false, true]) {
          const [dx, wdx] = pair(e, N * C, 'dx');
          const [dg, wdg] = pair(e, C, 'dg');
          ref.rmsNormBackward(dx, dg, dy, x, r, g, N, C, accumulate);
          e.rmsNormBackward(wdx, wdg, wdy, wx, wr, wg, N, C, accumulate);
          expect(relErr(wdx, dx)).toBeLessThan(TOL);
          expect(relErr(wdg, dg)).toBeLessThan(TOL);
        }
      }
    });

    it('relu forward (in place too) and backward', () => {
      for (const n of [1, 7, 1003]) {
        const [x, wx] = pair(e, n, 'x');
        const [y, wy] = pair(e, n, 'y');
        ref.reluForward(y, x, n);
        e.reluForward(wy, wx, n);
        expect(relErr(wy, y)).toBeLessThan(TOL);
        e.reluForward(wx, wx, n);
        expect(relErr(wx, y)).toBeLessThan(TOL);
        const [dy, wdy] = pair(e, n, 'dy');
        for (const accumulate of [false, true]) {
          const [dx, wdx] = pair(e, n, 'dx');
          ref.reluBackward(dx, dy, y, n, accumulate);
          e.reluBackward(wdx, wdy, wy, n, accumulate);
          expect(relErr(wdx, dx)).toBeLessThan(TOL);
        }
      }
    });

    it('gated GELU forward and backward, F not a multiple of 4', () => {
      for (const [N, F] of [
        [1, 3],
        [5, 13],
        [17, 64],
      ]) {
        const [h, wh] = pair(e, N * 2 * F, 'h', 3);
        const [y, wy] = pair(e, N * F, 'y');
        ref.gatedGeluForward(y, h, N, F);
        e.gatedGeluForward(wy, wh, N, F);
        expect(relErr(wy, y)).toBeLessThan(TOL);
        const [dy, wdy] = pair(e, N * F, 'dy');
        const [dh, wdh] = pair(e, N * 2 * F, 'dh');
        ref.gatedGeluBackward(dh, dy, h, N, F);
        e.gatedGeluBackward(wdh, wdy, wh, N, F);
        expect(relErr(wdh, dh)).toBeLessThan(TOL);
      }
    });

    it('relative bias gather and batch-summed scatter', () => {
      const [B, Tq, Tk, H, NB] = [3, 5, 7, 3, 8];
      const ids = Int32Array.from({ length: Tq * Tk }, (_, i) => (i * 5 + (i >> 2)) % NB);
      const buckets = putInt(ref, ids);
      const wb = putInt(e, ids);
      const [t, wt] = pair(e, NB * H, 't');
      const [bias, wbias] = pair(e, H * Tq * Tk, 'bias');
      ref.relativeBiasForward(bias, t, buckets, Tq, Tk, H);
      e.relativeBiasForward(wbias, wt, wb, Tq, Tk, H);
      expect(relErr(wbias, bias)).toBe(0);
      const [ds, wds] = pair(e, B * H * Tq * Tk, 'ds');
      const [dt, wdt] = pair(e, NB * H, 'dt');
      ref.relativeBiasBackward(dt, ds, buckets, B, Tq, Tk, H);
      e.relativeBiasBackward(wdt, wds, wb, B, Tq, Tk, H);
      expect(relErr(wdt, dt)).toBeLessThan(TOL);
      wb[3] = NB;
      expect(() => e.relativeBiasForward(wbias, wt, wb, Tq, Tk, H)).toThrow(/outside/);
    });

    // Self-attention on a packed qkv (scale 1 / sqrt(D), no bias, or a bias per batch row as BERT's relative_key) and
    // cross-attention (Tq != Tk, bias, scale 1).
    const shapes: [string, AttentionShape, 'packed' | 'cross'][] = [
      ['self, packed qkv', { B: 2, Tq: 9, Tk: 9, H: 3, D: 5, ldq: 45, ldkv: 45, scale: 1 / Math.sqrt(5) }, 'packed'],
      [
        'self, packed qkv, bias per row',
        { B: 3, Tq: 7, Tk: 7, H: 2, D: 4, ldq: 24, ldkv: 24, scale: 0.5, biasPerRow: true },
        'packed',
      ],
      ['cross, Tq != Tk, bias', { B: 3, Tq: 6, Tk: 11, H: 2, D: 4, ldq: 8, ldkv: 16, scale: 1 }, 'cross'],
    ];
    for (const [name, s, layout] of shapes) {
      for (const p of [0, 0.25]) {
        it(`biased attention (${name}${p ? ', dropout' : ''}): forward, backward with and without dscores`, () => {
          const { B, Tq, Tk, H, D } = s;
          const I = H * D;
          const nq = layout === 'packed' ? B * Tq * 3 * I : B * Tq * I;
          const [qr, wq] = pair(e, nq, 'q');
          const [kvr, wkv] = layout === 'packed' ? [qr.subarray(I), wq.subarray(I)] : pair(e, B * Tk * 2 * I, 'kv');
          const [bias, wbias] =
            layout === 'cross' || s.biasPerRow ? pair(e, (s.biasPerRow ? B : 1) * H * Tq * Tk, 'bias') : [null, null];
          const maskData = new Float32Array(B * Tq * Tk).map((_, i) => (i % Tk > (((i / Tk) | 0) % Tq) + 2 ? -1e9 : 0));
          const mask = put(ref, maskData);
          const wmask = put(e, maskData);
          const [drop, wdrop] = p ? keepMask(e, B * H * Tq * Tk, p) : [undefined, undefined];
          const [out, wout] = pair(e, B * Tq * I, 'out');
          const [probs, wprobs] = pair(e, B * H * Tq * Tk, 'probs');
          ref.biasedAttentionForward(out, probs, qr, kvr, bias, mask, s, drop);
          e.biasedAttentionForward(wout, wprobs, wq, wkv, wbias, wmask, s, wdrop);
          expect(relErr(wout, out), 'out').toBeLessThan(TOL);
          expect(relErr(wprobs, probs), 'probs').toBeLessThan(TOL);
          const [dout, wdout] = pair(e, B * Tq * I, 'dout');
          const [dq, wdq] = pair(e, nq, 'dq');
          const [dkv, wdkv] = layout === 'packed' ? [dq.subarray(I), wdq.subarray(I)] : pair(e, B * Tk * 2 * I, 'dkv');
          const [ds, wds] = pair(e, B * H * Tq * Tk, 'ds');
          ref.biasedAttentionBackward(dq, dkv, ds, dout, qr, kvr, probs, s, drop);
          e.biasedAttentionBackward(wdq, wdkv, wds, wdout, wq, wkv, wprobs, s, wdrop);
          expect(relErr(wdq, dq), 'dq').toBeLessThan(TOL);
          expect(relErr(wdkv, dkv), 'dkv').toBeLessThan(TOL);
          expect(relErr(wds, ds), 'dscores').toBeLessThan(TOL);
          const wdq2 = e.alloc(nq);
          e.biasedAttentionBackward(
            wdq2,
            layout === 'packed' ? wdq2.subarray(I) : e.alloc(B * Tk * 2 * I),
            null,
            wdout,
            wq,
            wkv,
            wprobs,
            s,
            wdrop,
          );
          expect(relErr(wdq2.subarray(0, wdq.length), wdq), 'dq without dscores').toBeLessThan(TOL);
        });
      }
    }
  });
}

function directional(
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

describe('wasm T5 backward vs finite differences', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await createWasmEngine({ threads: 2, splitAll: true });
  });
  afterAll(() => e.dispose());

  it('rmsNorm: dx, dgamma', () => {
    const [N, C] = [6, 37];
    const x = put(e, randn(N * C, 'x', 2));
    const gamma = put(
      e,
      randn(C, 'g').map((v) => 1 + 0.3 * v),
    );
    const w = put(e, randn(N * C, 'w'));
    const y = e.alloc(N * C),
      rstd = e.alloc(N);
    const loss = () => {
      e.rmsNormForward(y, rstd, x, gamma, N, C, 1e-6);
      return dot(y, w);
    };
    loss();
    const dx = e.alloc(N * C),
      dg = e.alloc(C);
    e.rmsNormBackward(dx, dg, w, x, rstd, gamma, N, C, false);
    for (const [t, g, name] of [
      [x, dx, 'x'],
      [gamma, dg, 'gamma'],
    ] as const) {
      const [analytic, numeric] = directional(t, g, loss, name, 1e-2);
      expect(Math.abs(analytic - numeric) / Math.abs(numeric), name).toBeLessThan(2e-3);
    }
  });

  it('biased attention (cross, bias, padding mask): dq, dkv and the bias gradient', () => {
    const s: AttentionShape = { B: 2, Tq: 5, Tk: 7, H: 2, D: 3, ldq: 6, ldkv: 12, scale: 1 };
    const { B, Tq, Tk, H } = s;
    const q = put(e, randn(B * Tq * 6, 'q'));
    const kv = put(e, randn(B * Tk * 12, 'kv'));
    const bias = put(e, randn(H * Tq * Tk, 'bias'));
    const mask = e.alloc(B * Tq * Tk);
    for (let i = 0; i < Tq; i++) mask[(Tq + i) * Tk + 6] = -1e9; // row 1's last key is padding
    const w = put(e, randn(B * Tq * 6, 'w'));
    const out = e.alloc(B * Tq * 6),
      probs = e.alloc(B * H * Tq * Tk);
    const loss = () => {
      e.biasedAttentionForward(out, probs, q, kv, bias, mask, s);
      return dot(out, w);
    };
    loss();
    const dq = e.alloc(q.length),
      dkv = e.alloc(kv.length),
      ds = e.alloc(B * H * Tq * Tk);
    e.biasedAttentionBackward(dq, dkv, ds, w, q, kv, probs, s);
    const dbias = e.alloc(bias.length);
    for (let b = 0; b < B; b++) for (let i = 0; i < dbias.length; i++) dbias[i] += ds[b * dbias.length + i];
    for (const [t, g, name] of [
      [q, dq, 'q'],
      [kv, dkv, 'kv'],
      [bias, dbias, 'bias'],
    ] as const) {
      const [analytic, numeric] = directional(t, g, loss, name, 1e-2);
      expect(Math.abs(analytic - numeric) / Math.abs(numeric), name).toBeLessThan(2e-3);
    }
  });
});
