// Which rows BERT computes at the top: the MLM head's rows (labelled positions, or all of them for logits without
// labels) and, under an MLM loss, the rows of the sparse last layer (the MLM rows plus each [CLS] row the pooler
// reads), with each head's index into that layer's output. Labels are [B*T] with -100 = no loss.
import type { MlmHeadActs, NspHeadActs } from './bert-heads.js';
import type { SparseRows } from './bert-layer.js';

/** Rows of the MLM head: the labelled count, or N when logits are wanted without labels, else 0. */
export function countMlmRows(labels: Int32Array | undefined, N: number, wantLogits: boolean): number {
  if (labels === undefined) return wantLogits ? N : 0;
  let M = 0;
  for (let i = 0; i < N; i++) if (labels[i] !== -100) M++;
  return M;
}

/** mlm.rows[M] = the flat positions b*T+t (labelled, ascending; or 0..M-1 without labels), mlm.targets their labels. */
export function fillMlmRows(mlm: MlmHeadActs, labels: Int32Array | undefined, N: number, M: number): void {
  if (labels === undefined) {
    for (let i = 0; i < M; i++) mlm.rows[i] = i;
    return;
  }
  for (let i = 0, m = 0; i < N; i++) {
    if (labels[i] === -100) continue;
    mlm.rows[m] = i;
    mlm.targets[m++] = labels[i];
  }
}

/** Rows of the sparse last layer: labelled positions, plus b*T for every sequence when `cls` (the pooler reads it). */
export function countLayerRows(labels: Int32Array, B: number, T: number, cls: boolean): number {
  let K = 0;
  for (let i = 0; i < B * T; i++) if (labels[i] !== -100 || (cls && i % T === 0)) K++;
  return K;
}

/** R.rows[K] = those positions, ascending; mlm.at[M] = where the labelled ones sit among them, nsp.rows[B] the [CLS] ones. */
export function fillLayerRows(
  R: SparseRows,
  mlm: MlmHeadActs,
  nsp: NspHeadActs | undefined,
  labels: Int32Array,
  B: number,
  T: number,
): void {
  for (let i = 0, k = 0, m = 0; i < B * T; i++) {
    const cls = nsp !== undefined && i % T === 0;
    if (labels[i] === -100 && !cls) continue;
    if (cls) nsp.rows[i / T] = k;
    if (labels[i] !== -100) mlm.at[m++] = k;
    R.rows[k++] = i;
  }
}
