import { describe, expect, it } from 'vitest';
import type { AttentionDropout } from '../engine.js';
import { Rng } from '../../rng/rng.js';
import { attentionBackward, attentionForward } from './attention.js';
import { dot, numericGrad, randn, relErr } from './check.case.js';
import { drawKeepMask } from '../engine.js';

// mask[B, T, T]: causal in batch 0; batch 1 also blocks its last key (padding).
function causalMask(B: number, T: number, blocked: number): Float64Array {
  const mask = new Float64Array(B * T * T);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let t2 = 0; t2 < T; t2++)
        if (t2 > t || (b === 1 && t2 === T - 1 && t > 0)) mask[(b * T + t) * T + t2] = blocked;
  return mask;
}

// The hand-written loop: per (b, h, t), softmax over the allowed keys only, then the weighted sum of values.
function handWritten(qkv: Float64Array, B: number, T: number, C: number, H: number): Float64Array {
  const hs = C / H;
  const out = new Float64Array(B * T * C);
  const at = (b: number, t: number, part: number, h: number, d: number) =>
    qkv[(b * T + t) * 3 * C + part * C + h * hs + d];
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++) {
        const keys = [...Array(T).keys()].filter((t2) => t2 <= t && !(b === 1 && t2 === T - 1 && t > 0));
        const scores = keys.map((t2) => {
          let s = 0;
          for (let d = 0; d < hs; d++) s += at(b, t, 0, h, d) * at(b, t2, 1, h, d);
          return s / Math.sqrt(hs);
        });
        const exps = scores.map((s) => Math.exp(s));
        const total = exps.reduce((a, b2) => a + b2);
        for (let d = 0; d < hs; d++)
          out[(b * T + t) * C + h * hs + d] = keys.reduce(
            (acc, t2, i) => acc + (exps[i] / total) * at(b, t2, 2, h, d),
            0,
          );
      }
  return out;
}

describe('attention', () => {
  const [B, T, C, H] = [2, 5, 6, 2];
  const qkv = randn(B * T * 3 * C, 'qkv');
  const w = randn(B * T * C, 'w');
  const forward = (mask: Float64Array | null, dropout?: AttentionDropout) => {
    const out = new Float64Array(B * T * C);
    const probs = new Float64Array(B * H * T * T);
    attentionForward(out, probs, qkv, mask, B, T, C, H, dropout);
    return { out, probs };
  };
  const dropout = (p: number): AttentionDropout => {
    const keep = new Uint8Array(B * H * T * T);
    drawKeepMask(keep, keep.length, p, Rng.of(1, 0, 0, 'attention dropout'));
    return { p, keep };
  };

  it('with a causal (and padding) mask equals the hand-written loop; probability rows sum to 1', () => {
    for (const blocked of [-1e9, -Infinity]) {
      const { out, probs } = forward(causalMask(B, T, blocked));
      expect(relErr(out, handWritten(qkv, B, T, C, H))).toBeLessThan(1e-13);
      for (let r = 0; r < B * H * T; r++) {
        const row = probs.subarray(r * T, (r + 1) * T);
        expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 14);
        const t = r % T;
        for (let t2 = t + 1; t2 < T; t2++) expect(row[t2]).toBe(0);
      }
    }
  });

  it('a row with every key blocked gets zero probabilities and zero output', () => {
    const mask = new Float64Array(B * T * T);
    mask.fill(-Infinity, 0, T);
    const { out, probs } = forward(mask);
    expect(Array.from(probs.subarray(0, T))).toEqual(new Array(T).fill(0));
    expect(Array.from(out.subarray(0, C / H))).toEqual(new Array(C / H).fill(0));
  });

  for (const masked of [false, true]) {
    it(`backward matches finite differences (${masked ? 'causal mask' : 'no mask'})`, () => {
      const mask = masked ? causalMask(B, T, -1e9) : null;
      const { probs } = forward(mask);
      const dqkv = new Float64Array(qkv.length).fill(NaN); // overwritten
      attentionBackward(dqkv, w, qkv, probs, B, T, C, H);
      expect(
        relErr(
          dqkv,
          numericGrad(() => dot(forward(mask).out, w), qkv),
        ),
      ).toBeLessThan(1e-7);
    });
  }

  it('dropout: probs saved before it; out = (P * keep / (1 - p)) v; p = 0 with all kept changes nothing', () => {
    const mask = causalMask(B, T, -1e9);
    const plain = forward(mask);
    const drop = dropout(0.3);
    expect(drop.keep.includes(0) && drop.keep.includes(1)).toBe(true);
    const { out, probs } = forward(mask, drop);
    expect(probs).toEqual(plain.probs);
    const hs = C / H;
    const want = new Float64Array(B * T * C);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < T; t++)
          for (let u = 0; u < T; u++) {
            const i = ((b * H + h) * T + t) * T + u;
            const pd = (probs[i] * drop.keep[i]) / 0.7;
            for (let d = 0; d < hs; d++)
              want[(b * T + t) * C + h * hs + d] += pd * qkv[(b * T + u) * 3 * C + 2 * C + h * hs + d];
          }
    expect(relErr(out, want)).toBeLessThan(1e-14);
    expect(forward(mask, dropout(0)).out).toEqual(plain.out);
  });

  for (const masked of [false, true]) {
    it(`backward with dropout (fixed mask, p = 0.3) matches finite differences (${masked ? 'causal mask' : 'no mask'})`, () => {
      const mask = masked ? causalMask(B, T, -1e9) : null;
      const drop = dropout(0.3);
      const { probs } = forward(mask, drop);
      const dqkv = new Float64Array(qkv.length).fill(NaN);
      attentionBackward(dqkv, w, qkv, probs, B, T, C, H, drop);
      expect(
        relErr(
          dqkv,
          numericGrad(() => dot(forward(mask, drop).out, w), qkv),
        ),
      ).toBeLessThan(1e-7);
    });
  }
});
