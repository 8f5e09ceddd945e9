// What a training run needs in memory, from its config alone (before anything is allocated): the parameters with
// their gradients and AdamW's two moments, and the activations one forward + backward over a micro-batch of
// batchSize x seqLen keeps (per layer: q/k/v, the attention probabilities, the feed-forward and residual rows, pre-LN's
// normalised inputs; the shared backward scratch, relative_key's too; the [N, T] mask; the LM logits). An estimate of
// the engine's allocations, not a bound.
import type { Config } from '../config/config.js';

export interface MemoryNeed {
  /** parameters, gradients and the optimizer's moments */
  stateBytes: number;
  /** activations of one micro-batch of `batchSize` rows */
  activationBytes: number;
  totalBytes: number;
  /** activation bytes per row of a micro-batch */
  bytesPerRow: number;
}

const FLOAT = 4;

/** Parameters of a transformer of the config's sizes over `vocabSize` tokens (embeddings, layers, LM head). */
export function parameterCount(c: Readonly<Config>, vocabSize: number): number {
  const { hiddenSize: C, ffnSize: F, numLayers: L, maxPositions: P } = c;
  const layer = 4 * C * C + 2 * C * F + 9 * C + F; // attention q, k, v, out; feed-forward; biases; two LayerNorms
  return (vocabSize + P + 4) * C + L * layer + C * C + 4 * C + vocabSize;
}

/** The memory a run of config `c` over `vocabSize` tokens needs. */
export function memoryNeed(c: Readonly<Config>, vocabSize: number): MemoryNeed {
  const { hiddenSize: C, ffnSize: F, numLayers: L, numHeads: H, seqLen: T } = c;
  const attention = H * T * (c.dropout > 0 ? 1.25 : 1); // probabilities [H, T] per query, and their dropout bytes
  const preLn = c.model === 'pre-ln' ? 2 * C : 0; // the normalised inputs of attention and feed-forward
  const relative = c.positionEmbedding === 'relative_key' ? C + 3 * H * T : 0; // relative-key.ts's shared scratch
  const perToken = L * (8.5 * C + 2 * F + attention + preLn) + relative + 10 * C + 2 * F + T + vocabSize;
  const bytesPerRow = perToken * T * FLOAT;
  const stateBytes = 4 * parameterCount(c, vocabSize) * FLOAT;
  const activationBytes = c.batchSize * bytesPerRow;
  return { stateBytes, activationBytes, totalBytes: stateBytes + activationBytes, bytesPerRow };
}
