// Multi-head attention over a packed qkv[B, T, 3C], one (batch, head) pair at a time; threads split the B * H pairs.
// Every product is a strided gemmBlock on the head's columns, so nothing is copied out of qkv:
//   forward   S = Q K^T (into probs), P = softmax(S * scale + mask), out_h = P V
//   backward  dP = dout_h V^T, dS = P * (dP - rowsum(P * dP)) * scale, dV = P^T dout_h, dQ = dS K, dK = dS^T Q
import { WS_BYTES, gemmBlock } from './gemm';
import { exp4, hmax, hsum } from './simd';
import { shareEnd, shareStart } from './split';

// row[T] = softmax(row * scale + maskRow) in place; a row whose every key is -Infinity becomes zeros.
function softmaxRow(row: usize, maskRow: usize, T: i32, scale: f32): void {
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

/** out[B, T, C] = softmax(q k^T * scale + mask) v per head; probs[B, H, T, T] saved; mask[B, T, T] or 0. */
export function attentionForward(tid: i32, nt: i32, out: usize, probs: usize, qkv: usize, mask: usize, B: i32, T: i32, C: i32, H: i32, ws: usize): void {
  const myWs = ws + <usize>tid * WS_BYTES;
  const hs = C / H;
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>hs);
  const p0 = shareStart(tid, nt, B * H, 1);
  const p1 = shareEnd(tid, nt, B * H, 1);
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
    gemmBlock(out + (<usize>b * T * C + <usize>(h * hs)) * 4, C, P, T, 1, v, C3, 1, T, hs, T, 0, 0, myWs);
  }
}

/** dqkv[B, T, 3C] (overwritten) from dout[B, T, C], qkv, probs; scratch holds T * T floats per thread. */
export function attentionBackward(tid: i32, nt: i32, dqkv: usize, dout: usize, qkv: usize, probs: usize, B: i32, T: i32, C: i32, H: i32, ws: usize, scratch: usize): void {
  const myWs = ws + <usize>tid * WS_BYTES;
  const dS = scratch + <usize>tid * T * T * 4;
  const hs = C / H;
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>hs);
  const T4 = T & ~3;
  const p0 = shareStart(tid, nt, B * H, 1);
  const p1 = shareEnd(tid, nt, B * H, 1);
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
    gemmBlock(dS, T, dO, C, 1, v, 1, C3, T, T, hs, 0, 0, myWs); // dP
    for (let t = 0; t < T; t++) {
      const pr = P + <usize>t * T * 4;
      const dr = dS + <usize>t * T * 4;
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
    gemmBlock(dv, C3, P, 1, T, dO, C, 1, T, hs, T, 0, 0, myWs); // dV = P^T dout_h
    gemmBlock(dq, C3, dS, T, 1, k, C3, 1, T, hs, T, 0, 0, myWs); // dQ = dS K
    gemmBlock(dk, C3, dS, 1, T, q, C3, 1, T, hs, T, 0, 0, myWs); // dK = dS^T Q
  }
}
