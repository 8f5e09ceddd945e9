import type { AttentionDropout, AttentionShape } from '../engine.js';
import { keepScale } from './dropout.js';
import type { Floats } from './floats.js';
import { scratch } from './scratch.js';

// Attention with separate query and key / value sources and an additive bias shared by the batch (T5Attention):
//   S = q k^T * scale + bias[h] (bias[b, h] with s.biasPerRow) + mask[b], P = softmax(S), out = dropout(P) v, per (b, h).
// q[B, Tq, ldq], kv[B, Tk, ldkv] (k at columns [0, H * D), v at [H * D, 2 * H * D)), head h at columns h * D of each.
// A query row whose every key is -Infinity gets zero probabilities. Backward, as attention.ts:
//   dv = Pd^T dout, dP = (dout v^T) * keep * s, dS = P * (dP - rowsum(P * dP)), dq = dS k * scale, dk = dS^T q * scale.

const at = (s: AttentionShape) => ({
  q: (b: number, i: number, h: number) => (b * s.Tq + i) * s.ldq + h * s.D,
  k: (b: number, j: number, h: number) => (b * s.Tk + j) * s.ldkv + h * s.D,
  v: (b: number, j: number, h: number) => (b * s.Tk + j) * s.ldkv + (s.H + h) * s.D,
  o: (b: number, i: number, h: number) => (b * s.Tq + i) * s.H * s.D + h * s.D,
  p: (b: number, h: number, i: number) => ((b * s.H + h) * s.Tq + i) * s.Tk,
});

// out[B, Tq, H * D]; probs[B, H, Tq, Tk] saved before dropout.
export function biasedAttentionForward(
  out: Floats,
  probs: Floats,
  q: Floats,
  kv: Floats,
  bias: Floats | null,
  mask: Floats | null,
  s: AttentionShape,
  dropout?: AttentionDropout,
): void {
  const { B, Tq, Tk, H, D, scale } = s;
  const ix = at(s);
  const keep = dropout?.keep;
  const ks = dropout === undefined ? 1 : keepScale(dropout.p);
  const row = scratch(Tk);
  for (let b = 0; b < B; b++) {
    const biasRow = s.biasPerRow ? b * H : 0;
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < Tq; i++) {
        let max = -Infinity;
        for (let j = 0; j < Tk; j++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += q[ix.q(b, i, h) + d] * kv[ix.k(b, j, h) + d];
          row[j] =
            dot * scale +
            (bias === null ? 0 : bias[((biasRow + h) * Tq + i) * Tk + j]) +
            (mask === null ? 0 : mask[(b * Tq + i) * Tk + j]);
          if (row[j] > max) max = row[j];
        }
        let sum = 0;
        for (let j = 0; j < Tk; j++) {
          row[j] = max === -Infinity ? 0 : Math.exp(row[j] - max);
          sum += row[j];
        }
        const p0 = ix.p(b, h, i);
        for (let j = 0; j < Tk; j++) {
          if (sum > 0) row[j] /= sum;
          probs[p0 + j] = row[j];
          if (keep !== undefined) row[j] = keep[p0 + j] ? row[j] * ks : 0;
        }
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let j = 0; j < Tk; j++) acc += row[j] * kv[ix.v(b, j, h) + d];
          out[ix.o(b, i, h) + d] = acc;
        }
      }
    }
  }
}

// dq, dkv (head columns overwritten) from dout[B, Tq, H * D]; dscores[B, H, Tq, Tk] = dS when given.
export function biasedAttentionBackward(
  dq: Floats,
  dkv: Floats,
  dscores: Floats | null,
  dout: Floats,
  q: Floats,
  kv: Floats,
  probs: Floats,
  s: AttentionShape,
  dropout?: AttentionDropout,
): void {
  const { B, Tq, Tk, H, D, scale } = s;
  const ix = at(s);
  const keep = dropout?.keep;
  const ks = dropout === undefined ? 1 : keepScale(dropout.p);
  const kept = (n: number) => (keep === undefined ? 1 : keep[n] ? ks : 0);
  const dS = scratch(Tq * Tk);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < Tq; i++) {
        const p0 = ix.p(b, h, i);
        let rowDot = 0;
        for (let j = 0; j < Tk; j++) {
          let dp = 0;
          for (let d = 0; d < D; d++) dp += dout[ix.o(b, i, h) + d] * kv[ix.v(b, j, h) + d];
          dp *= kept(p0 + j);
          dS[i * Tk + j] = dp;
          rowDot += probs[p0 + j] * dp;
        }
        for (let j = 0; j < Tk; j++) {
          dS[i * Tk + j] = probs[p0 + j] * (dS[i * Tk + j] - rowDot);
          if (dscores !== null) dscores[p0 + j] = dS[i * Tk + j];
        }
      }
      for (let i = 0; i < Tq; i++) {
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let j = 0; j < Tk; j++) acc += dS[i * Tk + j] * kv[ix.k(b, j, h) + d];
          dq[ix.q(b, i, h) + d] = acc * scale;
        }
      }
      for (let j = 0; j < Tk; j++) {
        for (let d = 0; d < D; d++) {
          let dk = 0;
          let dv = 0;
          for (let i = 0; i < Tq; i++) {
            const p = ix.p(b, h, i) + j;
            dk += dS[i * Tk + j] * q[ix.q(b, i, h) + d];
            dv += probs[p] * kept(p) * dout[ix.o(b, i, h) + d];
          }
          dkv[ix.k(b, j, h) + d] = dk * scale;
          dkv[ix.v(b, j, h) + d] = dv;
        }
      }
    }
  }
}
