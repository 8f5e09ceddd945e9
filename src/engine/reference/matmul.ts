import type { Floats } from './floats.js';
import { scratch } from './scratch.js';

// C[M, N] = beta * C + op(A) . op(B); op(A) is [M, K] (A stored [K, M] when transA), op(B) is [K, N] (B stored
// [N, K] when transB). Sums run in f64. Transposes are strides: element (i, k) of op(A) is A[i * sAi + k * sAk].
export function matmul(
  C: Floats,
  A: Floats,
  B: Floats,
  M: number,
  N: number,
  K: number,
  transA: boolean,
  transB: boolean,
  beta: 0 | 1,
): void {
  const sAi = transA ? 1 : K;
  const sAk = transA ? M : 1;
  const sBk = transB ? 1 : N;
  const sBj = transB ? K : 1;
  if (transB) {
    // Rows of B are columns of op(B): one dot product per output.
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += A[i * sAi + k * sAk] * B[j * sBj + k * sBk];
        C[i * N + j] = beta === 0 ? sum : C[i * N + j] + sum;
      }
    }
    return;
  }
  // op(B) rows are contiguous: accumulate a whole output row (i-k-j order) in f64.
  const row = scratch(N);
  for (let i = 0; i < M; i++) {
    row.fill(0, 0, N);
    for (let k = 0; k < K; k++) {
      const a = A[i * sAi + k * sAk];
      const b0 = k * sBk;
      for (let j = 0; j < N; j++) row[j] += a * B[b0 + j];
    }
    for (let j = 0; j < N; j++) C[i * N + j] = beta === 0 ? row[j] : C[i * N + j] + row[j];
  }
}
