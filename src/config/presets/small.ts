// small: 4 layers of 256, about 8M parameters; hours rather than minutes on two cores.
import type { Config } from '../config.js';

export const small: Partial<Config> = {
  vocabSize: 16384,
  hiddenSize: 256,
  numLayers: 4,
  numHeads: 4,
  ffnSize: 1024,
  seqLen: 128,
  maxPositions: 512,
  batchSize: 32,
  dropout: 0.1,
  lr: 5e-4,
  warmupRatio: 0.06,
  steps: 10000,
  evalEvery: 500,
  saveEvery: 1000,
};
