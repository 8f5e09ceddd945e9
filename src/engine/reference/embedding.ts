import type { Floats } from './floats.js';

function checkId(id: number, rows: number, n: number, what: string): void {
  if (!(id >= 0 && id < rows)) throw new RangeError(`${what}: index ${id} at position ${n} is outside [0, ${rows})`);
}

// out[N, C] (=|+=) table[ids[n], :].
export function embeddingForward(
  out: Floats,
  table: Floats,
  ids: Int32Array,
  N: number,
  C: number,
  accumulate: boolean,
): void {
  const rows = table.length / C;
  for (let n = 0; n < N; n++) {
    checkId(ids[n], rows, n, 'embeddingForward');
    const src = ids[n] * C;
    for (let c = 0; c < C; c++) out[n * C + c] = accumulate ? out[n * C + c] + table[src + c] : table[src + c];
  }
}

// dtable[ids[n], :] += dout[n, :].
export function embeddingBackward(dtable: Floats, dout: Floats, ids: Int32Array, N: number, C: number): void {
  const rows = dtable.length / C;
  for (let n = 0; n < N; n++) {
    checkId(ids[n], rows, n, 'embeddingBackward');
    const dst = ids[n] * C;
    for (let c = 0; c < C; c++) dtable[dst + c] += dout[n * C + c];
  }
}

// out[M, C] = x[idx[m], :] (e.g. the ~15% of positions an MLM head predicts).
export function gatherRows(out: Floats, x: Floats, idx: Int32Array, M: number, C: number): void {
  const rows = x.length / C;
  for (let m = 0; m < M; m++) {
    checkId(idx[m], rows, m, 'gatherRows');
    const src = idx[m] * C;
    for (let c = 0; c < C; c++) out[m * C + c] = x[src + c];
  }
}

// dx[idx[m], :] += dout[m, :].
export function scatterAddRows(dx: Floats, dout: Floats, idx: Int32Array, M: number, C: number): void {
  const rows = dx.length / C;
  for (let m = 0; m < M; m++) {
    checkId(idx[m], rows, m, 'scatterAddRows');
    const dst = idx[m] * C;
    for (let c = 0; c < C; c++) dx[dst + c] += dout[m * C + c];
  }
}
