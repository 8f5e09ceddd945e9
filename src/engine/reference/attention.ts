import type { AttentionDropout } from '../engine.js';
import { keepScale } from './dropout.js';
import type { Floats } from './floats.js';
import { scratch } from './scratch.js';

// Multi-head self-attention over a packed qkv[B, T, 3C]: q = columns [0, C), k = [C, 2C), v = [2C, 3C); head h
// owns columns [h * hs, (h + 1) * hs) of each, hs = C / H, scale = 1 / sqrt(hs). mask[B, T, T] is additive
// (0 = attend, large negative or -Infinity = blocked); a row with every key blocked gets zero probabilities.
// Optional dropout (HF: after the softmax, before V): Pd = P * keep / (1 - p), keep[B, H, T, T]; probs saves P.

// out[B, T, C] = dropout(softmax(q k^T * scale + mask)) v per head; saves probs[B, H, T, T] before dropout.
export function attentionForward(
  out: Floats,
  probs: Floats,
  qkv: Floats,
  mask: Floats | null,
  B: number,
  T: number,
  C: number,
  H: number,
  dropout?: AttentionDropout,
): void {
  const hs = C / H;
  const scale = 1 / Math.sqrt(hs);
  const C3 = 3 * C;
  const keep = dropout?.keep;
  const s = dropout === undefined ? 1 : keepScale(dropout.p);
  const row = scratch(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const pBase = (b * H + h) * T * T;
      for (let t = 0; t < T; t++) {
        const q = (b * T + t) * C3 + h * hs;
        let max = -Infinity;
        for (let t2 = 0; t2 < T; t2++) {
          const k = (b * T + t2) * C3 + C + h * hs;
          let dot = 0;
          for (let d = 0; d < hs; d++) dot += qkv[q + d] * qkv[k + d];
          row[t2] = dot * scale + (mask === null ? 0 : mask[(b * T + t) * T + t2]);
          if (row[t2] > max) max = row[t2];
        }
        let sum = 0;
        for (let t2 = 0; t2 < T; t2++) {
          row[t2] = max === -Infinity ? 0 : Math.exp(row[t2] - max);
          sum += row[t2];
        }
        for (let t2 = 0; t2 < T; t2++) {
          if (sum > 0) row[t2] /= sum;
          probs[pBase + t * T + t2] = row[t2];
          if (keep !== undefined) row[t2] = keep[pBase + t * T + t2] ? row[t2] * s : 0;
        }
        const o = (b * T + t) * C + h * hs;
        for (let d = 0; d < hs; d++) {
          let acc = 0;
          for (let t2 = 0; t2 < T; t2++) acc += row[t2] * qkv[(b * T + t2) * C3 + 2 * C + h * hs + d];
          out[o + d] = acc;
        }
      }
    }
  }
}

// dqkv[B, T, 3C] (overwritten) from dout[B, T, C], qkv, the forward's probs[B, H, T, T] and dropout:
//   Pd = P * keep * s, dv = Pd^T dout, dP = (dout v^T) * keep * s, dS = P * (dP - rowsum(P * dP)),
//   dq = dS k * scale, dk = dS^T q * scale (keep = 1, s = 1 without dropout).
export function attentionBackward(
  dqkv: Floats,
  dout: Floats,
  qkv: Floats,
  probs: Floats,
  B: number,
  T: number,
  C: number,
  H: number,
  dropout?: AttentionDropout,
): void {
  const hs = C / H;
  const scale = 1 / Math.sqrt(hs);
  const C3 = 3 * C;
  const keep = dropout?.keep;
  const s = dropout === undefined ? 1 : keepScale(dropout.p);
  const kept = (i: number) => (keep === undefined ? 1 : keep[i] ? s : 0); // d Pd / d P, elementwise
  const dS = scratch(T * T);
  const qAt = (b: number, t: number, h: number) => (b * T + t) * C3 + h * hs;
  const oAt = (b: number, t: number, h: number) => (b * T + t) * C + h * hs;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const pBase = (b * H + h) * T * T;
      for (let t = 0; t < T; t++) {
        let rowDot = 0;
        for (let t2 = 0; t2 < T; t2++) {
          let dp = 0;
          for (let d = 0; d < hs; d++) dp += dout[oAt(b, t, h) + d] * qkv[qAt(b, t2, h) + 2 * C + d];
          dp *= kept(pBase + t * T + t2);
          dS[t * T + t2] = dp;
          rowDot += probs[pBase + t * T + t2] * dp;
        }
        for (let t2 = 0; t2 < T; t2++) dS[t * T + t2] = probs[pBase + t * T + t2] * (dS[t * T + t2] - rowDot);
      }
      for (let t = 0; t < T; t++) {
        for (let d = 0; d < hs; d++) {
          let dq = 0;
          let dk = 0;
          let dv = 0;
          for (let u = 0; u < T; u++) {
            dq += dS[t * T + u] * qkv[qAt(b, u, h) + C + d]; // sum over keys u
            dk += dS[u * T + t] * qkv[qAt(b, u, h) + d]; // sum over queries u
            dv += probs[pBase + u * T + t] * kept(pBase + u * T + t) * dout[oAt(b, u, h) + d];
          }
          dqkv[qAt(b, t, h) + d] = dq * scale;
          dqkv[qAt(b, t, h) + C + d] = dk * scale;
          dqkv[qAt(b, t, h) + 2 * C + d] = dv;
        }
      }
    }
  }
}
