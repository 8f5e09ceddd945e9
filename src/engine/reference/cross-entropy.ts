import { IGNORE_INDEX } from '../../batch/row.js';
import type { Floats } from './floats.js';

// Fused softmax + cross-entropy over rows of logits[N, V] with targets[N]; rows targeting IGNORE_INDEX are skipped.
// Returns the summed loss (log-sum-exp minus the target logit, in f64) over counted rows and overwrites logits with
// dlogits = (softmax - onehot) * gradScale, zero on skipped rows.
export function crossEntropy(logits: Floats, targets: Int32Array, N: number, V: number, gradScale: number): number {
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const o = n * V;
    const target = targets[n];
    if (target === IGNORE_INDEX) {
      logits.fill(0, o, o + V);
      continue;
    }
    if (!(target >= 0 && target < V))
      throw new RangeError(`crossEntropy: target ${target} at row ${n} is outside [0, ${V})`);
    let max = -Infinity;
    for (let j = 0; j < V; j++) if (logits[o + j] > max) max = logits[o + j];
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(logits[o + j] - max);
    loss += max + Math.log(sum) - logits[o + target];
    for (let j = 0; j < V; j++)
      logits[o + j] = (Math.exp(logits[o + j] - max) / sum - (j === target ? 1 : 0)) * gradScale;
  }
  return loss;
}
