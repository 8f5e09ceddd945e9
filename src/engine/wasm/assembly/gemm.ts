// Packed, cache-blocked SGEMM (Goto / BLIS loop order) with a 4x8 micro-kernel of f32x4 accumulators:
//   C[M, N] (ldc) = beta * C + op(A) . op(B) (+ bias[N] once), op(A)(i, k) = A[i * rsA + k * csA],
//   op(B)(k, j) = B[k * rsB + j * csB]; strides in elements, pointers in bytes.
// Transposes (and strided heads of a packed qkv) are handled by the packing strides, so every layout runs the same
// kernel. Blocks: KC x NC of op(B) packed in 8-column panels, MC x KC of op(A) in 4-row panels, zero padded.
import { madd } from './simd';

export const MR = 4;
export const NR = 8;
export const KC = 256;
export const MC = 128;
export const NC = 2048;

// Per-thread workspace: packed A block, packed B block, one spill tile for edge writes.
export const WS_PACK_A: usize = 0;
export const WS_PACK_B: usize = WS_PACK_A + <usize>(MC * KC * 4);
export const WS_TILE: usize = WS_PACK_B + <usize>(KC * NC * 4);
export const WS_BYTES: usize = WS_TILE + 256;

/** Bytes of workspace each thread needs (the host allocates threads x this). */
export function workspaceBytes(): usize {
  return WS_BYTES;
}

// Pack op(B)[pc .. pc + kc, jc .. jc + nc] into ceil(nc / 8) panels of kc x 8, zero padded past nc.
function packB(dst: usize, B: usize, rsB: i32, csB: i32, pc: i32, jc: i32, kc: i32, nc: i32): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const panel = dst + <usize>(jp * kc * 4);
    if (csB == 1 && cols == NR) {
      for (let k = 0; k < kc; k++) {
        const src = B + (<usize>(pc + k) * rsB + <usize>(jc + jp)) * 4;
        v128.store(panel + <usize>(k * 32), v128.load(src));
        v128.store(panel + <usize>(k * 32), v128.load(src, 16), 16);
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const row = panel + <usize>(k * 32);
        const src = B + <usize>(pc + k) * rsB * 4;
        for (let j = 0; j < NR; j++) {
          store<f32>(row + <usize>(j * 4), j < cols ? load<f32>(src + <usize>(jc + jp + j) * csB * 4) : 0);
        }
      }
    }
  }
}

// Pack op(A)[ic .. ic + mc, pc .. pc + kc] into ceil(mc / 4) panels of kc x 4, zero padded past mc.
function packA(dst: usize, A: usize, rsA: i32, csA: i32, ic: i32, pc: i32, mc: i32, kc: i32): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const panel = dst + <usize>(ip * kc * 4);
    if (rsA == 1 && rows == MR) {
      for (let k = 0; k < kc; k++) {
        v128.store(panel + <usize>(k * 16), v128.load(A + (<usize>(ic + ip) + <usize>(pc + k) * csA) * 4));
      }
    } else if (csA == 1 && rows == MR) {
      // Four contiguous rows: transpose 4x4 blocks with shuffles.
      const r0 = A + (<usize>(ic + ip) * rsA + <usize>pc) * 4;
      const r1 = r0 + <usize>rsA * 4;
      const r2 = r1 + <usize>rsA * 4;
      const r3 = r2 + <usize>rsA * 4;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>(k * 4);
        const a = v128.load(r0 + o);
        const b = v128.load(r1 + o);
        const c = v128.load(r2 + o);
        const d = v128.load(r3 + o);
        const ab01 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
        const cd01 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
        const ab23 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
        const cd23 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
        const out = panel + <usize>(k * 16);
        v128.store(out, v128.shuffle<f32>(ab01, cd01, 0, 1, 4, 5));
        v128.store(out, v128.shuffle<f32>(ab01, cd01, 2, 3, 6, 7), 16);
        v128.store(out, v128.shuffle<f32>(ab23, cd23, 0, 1, 4, 5), 32);
        v128.store(out, v128.shuffle<f32>(ab23, cd23, 2, 3, 6, 7), 48);
      }
      for (; k < kc; k++) {
        const out = panel + <usize>(k * 16);
        const o = <usize>(k * 4);
        store<f32>(out, load<f32>(r0 + o));
        store<f32>(out, load<f32>(r1 + o), 4);
        store<f32>(out, load<f32>(r2 + o), 8);
        store<f32>(out, load<f32>(r3 + o), 12);
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const out = panel + <usize>(k * 16);
        for (let i = 0; i < MR; i++) {
          store<f32>(out + <usize>(i * 4), i < rows ? load<f32>(A + (<usize>(ic + ip + i) * rsA + <usize>(pc + k) * csA) * 4) : 0);
        }
      }
    }
  }
}

// One 4x8 tile: acc = panelA(kc x 4)^T . panelB(kc x 8), then C tile (+)= acc (+ bias). Edge tiles spill to `tile`.
function kernel(pa: usize, pb: usize, kc: i32, c: usize, ldcBytes: usize, rows: i32, cols: i32, add: bool, bias: usize, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  if (bias != 0) {
    const bv0 = v128.load(bias);
    const bv1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, bv0); c01 = f32x4.add(c01, bv1);
    c10 = f32x4.add(c10, bv0); c11 = f32x4.add(c11, bv1);
    c20 = f32x4.add(c20, bv0); c21 = f32x4.add(c21, bv1);
    c30 = f32x4.add(c30, bv0); c31 = f32x4.add(c31, bv1);
  }
  if (rows == MR && cols == NR) {
    if (add) {
      c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16)); c += ldcBytes;
      c10 = f32x4.add(c10, v128.load(c)); c11 = f32x4.add(c11, v128.load(c, 16)); c += ldcBytes;
      c20 = f32x4.add(c20, v128.load(c)); c21 = f32x4.add(c21, v128.load(c, 16)); c += ldcBytes;
      c30 = f32x4.add(c30, v128.load(c)); c31 = f32x4.add(c31, v128.load(c, 16));
      c -= 3 * ldcBytes;
    }
    v128.store(c, c00); v128.store(c, c01, 16); c += ldcBytes;
    v128.store(c, c10); v128.store(c, c11, 16); c += ldcBytes;
    v128.store(c, c20); v128.store(c, c21, 16); c += ldcBytes;
    v128.store(c, c30); v128.store(c, c31, 16);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  for (let i = 0; i < rows; i++) {
    const dst = c + <usize>i * ldcBytes;
    for (let j = 0; j < cols; j++) {
      const v = load<f32>(tile + <usize>((i * NR + j) * 4));
      store<f32>(dst + <usize>(j * 4), add ? load<f32>(dst + <usize>(j * 4)) + v : v);
    }
  }
}

/**
 * Single-threaded C[M, N] = beta * C + op(A) op(B) (+ bias[N], bias = 0 for none; bias needs 8 readable floats
 * past each 8-column panel start, so pass it only when N % 8 == 0 or the bias tensor has slack; see gemmBias).
 */
export function gemmBlock(C: usize, ldc: i32, A: usize, rsA: i32, csA: i32, B: usize, rsB: i32, csB: i32, M: i32, N: i32, K: i32, beta: i32, bias: usize, ws: usize): void {
  if (M <= 0 || N <= 0) return;
  const pA = ws + WS_PACK_A;
  const pB = ws + WS_PACK_B;
  const tile = ws + WS_TILE;
  const ldcBytes = <usize>ldc * 4;
  if (K <= 0) {
    // op(A) op(B) is empty: C = beta * C + bias.
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        const p = C + <usize>i * ldcBytes + <usize>(j * 4);
        store<f32>(p, (beta != 0 ? load<f32>(p) : 0) + (bias != 0 ? load<f32>(bias + <usize>(j * 4)) : 0));
      }
    return;
  }
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packB(pB, B, rsB, csB, pc, jc, kc, nc);
      const add = pc > 0 || beta != 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(pA, A, rsA, csA, ic, pc, mc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = pB + <usize>(jr * kc * 4);
          const b = pc == 0 && bias != 0 ? bias + <usize>((jc + jr) * 4) : 0;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const c = C + <usize>(ic + ir) * ldcBytes + <usize>((jc + jr) * 4);
            kernel(pA + <usize>(ir * kc * 4), pb, kc, c, ldcBytes, rows, cols, add, b, tile);
          }
        }
      }
    }
  }
}

/**
 * Units [u0, u1) of C on thread tid: 4-row panels when M >= N, else 8-column panels (the host counts them the same
 * way). Each chunk packs its own copy of the shared operand (cost O(K * N) or O(M * K), small next to the chunk's
 * GEMM while a chunk holds 16 panels or more). Every element of C is one chunk's, summed in the same k order however
 * the panels are cut, so C is bit-identical for any chunking.
 */
export function gemm(tid: i32, u0: i32, u1: i32, C: usize, A: usize, B: usize, M: i32, N: i32, K: i32, rsA: i32, csA: i32, rsB: i32, csB: i32, beta: i32, bias: usize, ws: usize): void {
  const myWs = ws + <usize>tid * WS_BYTES;
  if (M >= N) {
    const i0 = min(M, u0 * MR);
    const i1 = min(M, u1 * MR);
    gemmBlock(C + <usize>i0 * N * 4, N, A + <usize>i0 * rsA * 4, rsA, csA, B, rsB, csB, i1 - i0, N, K, beta, bias, myWs);
  } else {
    const j0 = min(N, u0 * NR);
    const j1 = min(N, u1 * NR);
    gemmBlock(C + <usize>j0 * 4, N, A, rsA, csA, B + <usize>j0 * csB * 4, rsB, csB, M, j1 - j0, K, beta, bias != 0 ? bias + <usize>j0 * 4 : 0, myWs);
  }
}
