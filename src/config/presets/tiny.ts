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
