import { describe, expect, it } from 'vitest';
import { randn, randnF32, relErr } from './check.case.js';
import { matmul } from './matmul.js';

// The plain triple loop, with op(A) and op(B) written out.
function naive(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  M: number,
  N: number,
  K: number,
  transA: boolean,
  transB: boolean,
): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++)
      for (let k = 0; k < K; k++) {
        const a = transA ? A[k * M + i] : A[i * K + k];
        const b = transB ? B[j * K + k] : B[k * N + j];
        C[i * N + j] += a * b;
      }
  return C;
}

describe('matmul', () => {
  for (const [transA, transB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`transA=${transA} transB=${transB} equals the naive loop`, () => {
      for (const [M, N, K] of [
        [1, 1, 1],
        [3, 5, 7],
        [17, 9, 33],
      ]) {
        const A = randn(M * K, `a${M}`);
        const B = randn(K * N, `b${N}`);
        const C = new Float64Array(M * N).fill(NaN); // beta = 0 must not read C
        matmul(C, A, B, M, N, K, transA, transB, 0);
        expect(relErr(C, naive(A, B, M, N, K, transA, transB))).toBeLessThan(1e-14);
      }
    });
  }

  it('beta = 1 adds to C; f32 tensors round once', () => {
    const [M, N, K] = [6, 10, 12];
    const A = randnF32(M * K, 'a');
    const B = randnF32(K * N, 'b');
    const C = randnF32(M * N, 'c');
    const want = naive(A, B, M, N, K, false, true).map((x, i) => x + C[i]);
    matmul(C, A, B, M, N, K, false, true, 1);
    expect(relErr(C, want)).toBeLessThan(1e-7);
  });

  it('a known 2x2 product', () => {
    const C = new Float32Array(4);
    matmul(C, Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), 2, 2, 2, false, false, 0);
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
  });
});
