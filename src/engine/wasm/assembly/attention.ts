// Multi-head attention over a packed qkv[B, T, 3C], one (batch, head) pair per unit.
// Every product is a strided gemmBlock on the head's columns, so nothing is copied out of qkv:
//   forward   S = Q K^T (into probs), P = softmax(S * scale + mask), out_h = Pd V
//   backward  dV = Pd^T dout_h, dP = (dout_h V^T) * keep * s, dS = P * (dP - rowsum(P * dP)) * scale,
//             dQ = dS K, dK = dS^T Q
// with optional dropout on the probabilities, Pd = P * keep * s (keep[B, H, T, T] bytes, s = 1 / (1 - p)), built in
// the per-thread T x T scratch; without it (keep = 0) Pd is P itself.
import { WS_BYTES, gemmBlock } from './gemm';
import { exp4, hmax, hsum, keep4 } from './simd';
import { unitStart } from './split';

// dst[n] = src[n] * keep[n] * s (dst may alias src).
export function dropInto(dst: usize, src: usize, keep: usize, n: i32, s: f32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.mul(f32x4.mul(v128.load(src + o), keep4(keep + <usize>i)), sv));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<u8>(keep + <usize>i) ? load<f32>(src + (<usize>i << 2)) * s : 0);
}

// row[T] = softmax(row * scale + maskRow) in place; a row whose every key is -Infinity becomes zeros.
export function softmaxRow(row: usize, maskRow: usize, T: i32, scale: f32): void {
  const T4 = T & ~3;
  const sv = f32x4.splat(scale);
  let mx = f32x4.splat(-Infinity);
  for (let j = 0; j < T4; j += 4) {
    const o = <usize>j << 2;
    let s = f32x4.mul(v128.load(row + o), sv);
    if (maskRow != 0) s = f32x4.add(s, v128.load(maskRow + o));
    v128.store(row + o, s);
    mx = f32x4.pmax(mx, s); // pmax is one maxps; f32x4.max (NaN and -0 rules) is a long sequence in V8
  }
  let m = hmax(mx);
  for (let j = T4; j < T; j++) {
    const o = <usize>j << 2;
    let s = load<f32>(row + o) * scale;
    if (maskRow != 0) s += load<f32>(maskRow + o);
    store<f32>(row + o, s);
    m = max(m, s);
  }
  if (m == -Infinity) {
    memory.fill(row, 0, <usize>T * 4);
    return;
  }
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  for (let j = 0; j < T4; j += 4) {
    const o = <usize>j << 2;
    const e = exp4(f32x4.sub(v128.load(row + o), mv));
    v128.store(row + o, e);
    acc = f32x4.add(acc, e);
  }
  let sum = hsum(acc);
  for (let j = T4; j < T; j++) {
    const o = <usize>j << 2;
    const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(row + o) - m)), 0);
    store<f32>(row + o, e);
    sum += e;
  }
  const inv = f32x4.splat(1 / sum);
  for (let j = 0; j < T4; j += 4) v128.store(row + (<usize>j << 2), f32x4.mul(v128.load(row + (<usize>j << 2)), inv));
  for (let j = T4; j < T; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) * f32x4.extract_lane(inv, 0));
}

/**
 * out[B, T, C] = dropout(softmax(q k^T * scale + mask)) v per head; probs[B, H, T, T] saved before dropout;
 * mask[B, T, T] or 0; keep[B, H, T, T] or 0 (no dropout); scratch holds T * T floats per thread when keep != 0.
 */
export function attentionForward(tid: i32, u0: i32, u1: i32, out: usize, probs: usize, qkv: usize, mask: usize, B: i32, T: i32, C: i32, H: i32, ws: usize, keep: usize, keepScale: f32, scratch: usize): void {
  const myWs = ws + <usize>tid * WS_BYTES;
  const Pd = scratch + <usize>tid * T * T * 4;
  const hs = C / H;
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>hs);
  const p0 = unitStart(u0, 1, B * H);
  const p1 = unitStart(u1, 1, B * H);
  for (let p = p0; p < p1; p++) {
    const b = p / H;
    const h = p % H;
    const q = qkv + (<usize>b * T * C3 + <usize>(h * hs)) * 4;
    const k = q + <usize>C * 4;
    const v = k + <usize>C * 4;
    const P = probs + <usize>p * T * T * 4;
    gemmBlock(P, T, q, C3, 1, k, 1, C3, T, T, hs, 0, 0, myWs);
    for (let t = 0; t < T; t++) {
      const maskRow = mask != 0 ? mask + (<usize>(b * T + t) * T) * 4 : 0;
      softmaxRow(P + <usize>t * T * 4, maskRow, T, scale);
    }
    if (keep != 0) dropInto(Pd, P, keep + <usize>p * T * T, T * T, keepScale);
    gemmBlock(out + (<usize>b * T * C + <usize>(h * hs)) * 4, C, keep != 0 ? Pd : P, T, 1, v, C3, 1, T, hs, T, 0, 0, myWs);
  }
}

/** dqkv[B, T, 3C] (overwritten) from dout[B, T, C], qkv, probs, keep (or 0); scratch holds T * T floats per thread. */
export function attentionBackward(tid: i32, u0: i32, u1: i32, dqkv: usize, dout: usize, qkv: usize, probs: usize, B: i32, T: i32, C: i32, H: i32, ws: usize, scratch: usize, keep: usize, keepScale: f32): void {
  const myWs = ws + <usize>tid * WS_BYTES;
  const dS = scratch + <usize>tid * T * T * 4;
  const hs = C / H;
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>hs);
  const T4 = T & ~3;
  const p0 = unitStart(u0, 1, B * H);
  const p1 = unitStart(u1, 1, B * H);
  for (let p = p0; p < p1; p++) {
    const b = p / H;
    const h = p % H;
    const headOff = (<usize>b * T * C3 + <usize>(h * hs)) * 4;
    const q = qkv + headOff;
    const k = q + <usize>C * 4;
    const v = k + <usize>C * 4;
    const dq = dqkv + headOff;
    const dk = dq + <usize>C * 4;
    const dv = dk + <usize>C * 4;
    const dO = dout + (<usize>b * T * C + <usize>(h * hs)) * 4;
    const P = probs + <usize>p * T * T * 4;
    const K = keep != 0 ? keep + <usize>p * T * T : 0;
    if (K != 0) dropInto(dS, P, K, T * T, keepScale); // Pd, until dP overwrites it
    gemmBlock(dv, C3, K != 0 ? dS : P, 1, T, dO, C, 1, T, hs, T, 0, 0, myWs); // dV = Pd^T dout_h
    gemmBlock(dS, T, dO, C, 1, v, 1, C3, T, T, hs, 0, 0, myWs); // dPd
    for (let t = 0; t < T; t++) {
      const pr = P + <usize>t * T * 4;
      const dr = dS + <usize>t * T * 4;
      if (K != 0) dropInto(dr, dr, K + <usize>t * T, T, keepScale); // dP
      let acc = f32x4.splat(0);
      for (let j = 0; j < T4; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(pr + (<usize>j << 2)), v128.load(dr + (<usize>j << 2))));
      let dot = hsum(acc);
      for (let j = T4; j < T; j++) dot += load<f32>(pr + (<usize>j << 2)) * load<f32>(dr + (<usize>j << 2));
      const dv4 = f32x4.splat(dot);
      const sv = f32x4.splat(scale);
      for (let j = 0; j < T4; j += 4) {
        const o = <usize>j << 2;
        v128.store(dr + o, f32x4.mul(f32x4.mul(v128.load(pr + o), f32x4.sub(v128.load(dr + o), dv4)), sv));
      }
      for (let j = T4; j < T; j++) {
        const o = <usize>j << 2;
        store<f32>(dr + o, load<f32>(pr + o) * (load<f32>(dr + o) - dot) * scale);
      }
    }
    gemmBlock(dq, C3, dS, T, 1, k, C3, 1, T, hs, T, 0, 0, myWs); // dQ = dS K
    gemmBlock(dk, C3, dS, 1, T, q, C3, 1, T, hs, T, 0, 0, myWs); // dK = dS^T Q
  }
}
