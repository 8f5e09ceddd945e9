// Attention with separate query and key / value sources and an additive bias shared by the batch (T5Attention) or
// one per batch row (BERT's relative_key scores), one (batch, head) pair per unit. Shape block at `dims` (written by
// the host): i32 B, Tq, Tk, H, D, ldq, ldkv, then f32 scale, then i32 biasPerRow (bias [B, H, Tq, Tk] when 1, else
// [H, Tq, Tk]); q[B, Tq, ldq], kv[B, Tk, ldkv] with v at column H * D.
//   forward   S = Q K^T, P = softmax(S * scale + bias_h + mask_b), out_h = Pd V
//   backward  dV = Pd^T dout_h, dP = (dout_h V^T) * keep * s, dS = P * (dP - rowsum(P * dP)) (-> dscores),
//             dQ = dS K * scale, dK = dS^T Q * scale
import { dropInto, softmaxRow } from './attention';
import { WS_BYTES, gemmBlock } from './gemm';
import { hsum } from './simd';
import { unitStart } from './split';

// row[n] = row[n] * scale + bias[n].
function scaleAddRow(row: usize, bias: usize, n: i32, scale: f32): void {
  const sv = f32x4.splat(scale);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(row + o, f32x4.add(f32x4.mul(v128.load(row + o), sv), v128.load(bias + o)));
  }
  for (; j < n; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) * scale + load<f32>(bias + (<usize>j << 2)));
}

// rows x cols floats at p (row stride ld floats) *= s.
function scaleBlock(p: usize, ld: i32, rows: i32, cols: i32, s: f32): void {
  for (let r = 0; r < rows; r++) {
    const row = p + <usize>r * ld * 4;
    for (let c = 0; c < cols; c++) store<f32>(row + (<usize>c << 2), load<f32>(row + (<usize>c << 2)) * s);
  }
}

/** out[B, Tq, H * D]; probs[B, H, Tq, Tk] saved before dropout; bias[H or B * H, Tq, Tk], mask[B, Tq, Tk], keep: 0 for none. */
export function biasedAttentionForward(tid: i32, u0: i32, u1: i32, out: usize, probs: usize, q: usize, kv: usize, bias: usize, mask: usize, dims: usize, ws: usize, keep: usize, keepScale: f32, scratch: usize): void {
  const B = load<i32>(dims), Tq = load<i32>(dims, 4), Tk = load<i32>(dims, 8), H = load<i32>(dims, 12);
  const D = load<i32>(dims, 16), ldq = load<i32>(dims, 20), ldkv = load<i32>(dims, 24), scale = load<f32>(dims, 28);
  const biasPerRow = load<i32>(dims, 32) != 0;
  const myWs = ws + <usize>tid * WS_BYTES;
  const Pd = scratch + <usize>tid * Tq * Tk * 4;
  const HD = H * D;
  const p0 = unitStart(u0, 1, B * H);
  const p1 = unitStart(u1, 1, B * H);
  for (let p = p0; p < p1; p++) {
    const b = p / H;
    const h = p % H;
    const qp = q + (<usize>b * Tq * ldq + <usize>(h * D)) * 4;
    const kp = kv + (<usize>b * Tk * ldkv + <usize>(h * D)) * 4;
    const vp = kp + <usize>HD * 4;
    const P = probs + <usize>p * Tq * Tk * 4;
    gemmBlock(P, Tk, qp, ldq, 1, kp, 1, ldkv, Tq, Tk, D, 0, 0, myWs);
    for (let i = 0; i < Tq; i++) {
      const row = P + <usize>i * Tk * 4;
      const maskRow = mask != 0 ? mask + <usize>(b * Tq + i) * Tk * 4 : 0;
      if (bias != 0) scaleAddRow(row, bias + <usize>((biasPerRow ? p : h) * Tq + i) * Tk * 4, Tk, scale);
      softmaxRow(row, maskRow, Tk, bias != 0 ? 1 : scale);
    }
    if (keep != 0) dropInto(Pd, P, keep + <usize>p * Tq * Tk, Tq * Tk, keepScale);
    gemmBlock(out + (<usize>b * Tq * HD + <usize>(h * D)) * 4, HD, keep != 0 ? Pd : P, Tk, 1, vp, ldkv, 1, Tq, D, Tk, 0, 0, myWs);
  }
}

/** dq, dkv head columns overwritten from dout[B, Tq, H * D]; dscores[B, H, Tq, Tk] = dS when != 0 (else per-thread scratch). */
export function biasedAttentionBackward(tid: i32, u0: i32, u1: i32, dq: usize, dkv: usize, dscores: usize, dout: usize, q: usize, kv: usize, probs: usize, dims: usize, ws: usize, scratch: usize, keep: usize, keepScale: f32): void {
  const B = load<i32>(dims), Tq = load<i32>(dims, 4), Tk = load<i32>(dims, 8), H = load<i32>(dims, 12);
  const D = load<i32>(dims, 16), ldq = load<i32>(dims, 20), ldkv = load<i32>(dims, 24), scale = load<f32>(dims, 28);
  const myWs = ws + <usize>tid * WS_BYTES;
  const HD = H * D;
  const Tk4 = Tk & ~3;
  const p0 = unitStart(u0, 1, B * H);
  const p1 = unitStart(u1, 1, B * H);
  for (let p = p0; p < p1; p++) {
    const b = p / H;
    const h = p % H;
    const qOff = (<usize>b * Tq * ldq + <usize>(h * D)) * 4;
    const kOff = (<usize>b * Tk * ldkv + <usize>(h * D)) * 4;
    const qp = q + qOff, kp = kv + kOff, vp = kp + <usize>HD * 4;
    const dqp = dq + qOff, dkp = dkv + kOff, dvp = dkp + <usize>HD * 4;
    const dO = dout + (<usize>b * Tq * HD + <usize>(h * D)) * 4;
    const P = probs + <usize>p * Tq * Tk * 4;
    const dS = dscores != 0 ? dscores + <usize>p * Tq * Tk * 4 : scratch + <usize>tid * Tq * Tk * 4;
    const K = keep != 0 ? keep + <usize>p * Tq * Tk : 0;
    if (K != 0) dropInto(dS, P, K, Tq * Tk, keepScale); // Pd, until dP overwrites it
    gemmBlock(dvp, ldkv, K != 0 ? dS : P, 1, Tk, dO, HD, 1, Tk, D, Tq, 0, 0, myWs); // dV = Pd^T dout_h
    gemmBlock(dS, Tk, dO, HD, 1, vp, 1, ldkv, Tq, Tk, D, 0, 0, myWs); // dPd = dout_h V^T
    for (let i = 0; i < Tq; i++) {
      const pr = P + <usize>i * Tk * 4;
      const dr = dS + <usize>i * Tk * 4;
      if (K != 0) dropInto(dr, dr, K + <usize>i * Tk, Tk, keepScale); // dP
      let acc = f32x4.splat(0);
      for (let j = 0; j < Tk4; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(pr + (<usize>j << 2)), v128.load(dr + (<usize>j << 2))));
      let dot = hsum(acc);
      for (let j = Tk4; j < Tk; j++) dot += load<f32>(pr + (<usize>j << 2)) * load<f32>(dr + (<usize>j << 2));
      const dv4 = f32x4.splat(dot);
      for (let j = 0; j < Tk4; j += 4) {
        const o = <usize>j << 2;
        v128.store(dr + o, f32x4.mul(v128.load(pr + o), f32x4.sub(v128.load(dr + o), dv4)));
      }
      for (let j = Tk4; j < Tk; j++) {
        const o = <usize>j << 2;
        store<f32>(dr + o, load<f32>(pr + o) * (load<f32>(dr + o) - dot));
      }
    }
    gemmBlock(dqp, ldq, dS, Tk, 1, kp, ldkv, 1, Tq, D, Tk, 0, 0, myWs); // dQ = dS K
    gemmBlock(dkp, ldkv, dS, 1, Tk, qp, ldq, 1, Tk, D, Tq, 0, 0, myWs); // dK = dS^T Q
    if (scale != 1) {
      scaleBlock(dqp, ldq, Tq, D, scale);
      scaleBlock(dkp, ldkv, Tk, D, scale);
    }
  }
}
