// tiny: a 1.5M-parameter model that trains on Brown in minutes on two cores (README figures, bench:train).
import type { Config } from '../config.js';

export const tiny: Partial<Config> = {
  vocabSize: 8192,
  hiddenSize: 128,
  numLayers: 2,
  numHeads: 2,
  ffnSize: 512,
  seqLen: 128,
  maxPositions: 128,
  batchSize: 32,
  dropout: 0,
  lr: 1e-3,
  warmupRatio: 0.05,
  steps: 2000,
  evalEvery: 200,
  saveEvery: 500,
};

// The recipe sweep's winners at these sizes (npm run sweep; README "The recipe"), by the model family a run of
// `pretext train` trains, over `tiny`: BERT with relative positions on 64-token rows, batch 16, lr 2e-3, 30% of the
// tokens masked (where the training name does not set its own rate: nsp and sop train with none); GPT-2 at batch 8
// with lr 6e-3 and 40% warm-up. Other families train on `tiny` as it is. `pretext compare` holds one config for every
// objective, so it leaves these out; `tiny-base` is `tiny` without them for `pretext train` too.
export const tinyRecipes: Readonly<Record<string, Partial<Config>>> = {
  bert: { positionEmbedding: 'relative_key', seqLen: 64, batchSize: 16, lr: 2e-3, options: { maskProb: 0.3 } },
  gpt2: { batchSize: 8, lr: 6e-3, warmupRatio: 0.4 },
};
