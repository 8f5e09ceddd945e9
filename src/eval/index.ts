// Public API of src/eval: metrics, fill-mask, generation.
export { argmaxRow, correctPredictions, perplexity, softmaxRow, topK } from './metrics.js';
export { fillMask, type FillMaskResult } from './fill-mask.js';
export { generate, type GenerateOptions, type GenerateResult } from './generate.js';
