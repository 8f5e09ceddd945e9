import { describe, expect, it } from 'vitest';
import type { AttentionDropout, AttentionShape } from '../engine.js';
import { Rng } from '../../rng/rng.js';
import { attentionForward } from './attention.js';
import { biasedAttentionBackward, biasedAttentionForward } from './biased-attention.js';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { drawKeepMask } from '../engine.js';

describe('biased attention (T5)', () => {
  it('on a packed qkv with scale 1 / sqrt(D) and no bias equals the self-attention kernel', () => {
    const [B, T, H, D] = [2, 5, 2, 3];
    const C = H * D;
    const qkv = randn(B * T * 3 * C, 'qkv');
    const mask = new Float64Array(B * T * T).map((_, i) => (i % T > Math.floor(i / T) % T ? -1e9 : 0));
    const want = new Float64Array(B * T * C);
    attentionForward(want, new Float64Array(B * H * T * T), qkv, mask, B, T, C, H);
    const got = new Float64Array(B * T * C);
    const s: AttentionShape = { B, Tq: T, Tk: T, H, D, ldq: 3 * C, ldkv: 3 * C, scale: 1 / Math.sqrt(D) };
    biasedAttentionForward(got, new Float64Array(B * H * T * T), qkv, qkv.subarray(C), null, mask, s);
    expect(relErr(got, want)).toBeLessThan(1e-14);
  });

  // Cross-attention shape: 4 queries over 6 keys, a padding mask on keys, a bias, unscaled (T5), with and without dropout.
  for (const p of [0, 0.3]) {
    it(`backward (dq, dkv, dscores) matches finite differences with Tq != Tk, bias and mask${p ? ', dropout' : ''}`, () => {
      const [B, Tq, Tk, H, D] = [2, 4, 6, 2, 3];
      const I = H * D;
      const s: AttentionShape = { B, Tq, Tk, H, D, ldq: I, ldkv: 2 * I, scale: 1 };
      const q = randn(B * Tq * I, 'q');
      const kv = randn(B * Tk * 2 * I, 'kv');
      const bias = randn(H * Tq * Tk, 'bias');
      const mask = new Float64Array(B * Tq * Tk).map((_, i) =>
        Math.floor(i / (Tq * Tk)) === 1 && i % Tk >= 4 ? -1e9 : 0,
      );
      let dropout: AttentionDropout | undefined;
      if (p > 0) {
        dropout = { p, keep: new Uint8Array(B * H * Tq * Tk) };
        drawKeepMask(dropout.keep, dropout.keep.length, p, Rng.of(2, 0, 0, 'attention dropout'));
      }
      const w = randn(B * Tq * I, 'w');
      const probs = new Float64Array(B * H * Tq * Tk);
      const loss = () => {
        const out = new Float64Array(B * Tq * I);
        biasedAttentionForward(out, probs, q, kv, bias, mask, s, dropout);
        return dot(out, w);
      };
      loss();
      const dq = new Float64Array(B * Tq * I);
      const dkv = new Float64Array(B * Tk * 2 * I);
      const dscores = new Float64Array(B * H * Tq * Tk);
      biasedAttentionBackward(dq, dkv, dscores, w, q, kv, probs, s, dropout);
      const dbias = new Float64Array(H * Tq * Tk);
      for (let b = 0; b < B; b++) for (let i = 0; i < dbias.length; i++) dbias[i] += dscores[b * dbias.length + i];
      expect(relErr(dq, numericGrad(loss, q))).toBeLessThan(1e-7);
      expect(relErr(dkv, numericGrad(loss, kv))).toBeLessThan(1e-7);
      expect(relErr(dbias, numericGrad(loss, bias))).toBeLessThan(1e-7);
      for (let i = 0; i < probs.length; i++)
        if (mask[Math.floor(i / (H * Tq * Tk)) * Tq * Tk + (i % (Tq * Tk))] < 0) expect(probs[i]).toBe(0);
    });
  }
});
