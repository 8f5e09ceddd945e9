// Public API of src/eval: metrics, fill-mask, generation, and the evaluation tasks (probes, held-out scores).
export { argmaxRow, correctPredictions, perplexity, softmaxRow, topK } from './metrics.js';
export { fillMask, type FillMaskResult } from './fill-mask.js';
export { generate, type GenerateOptions, type GenerateResult } from './generate.js';
export { classScores, majorityClass, splitByGroup, type ClassScores, type GroupSplit } from './classification.js';
export { fitLogistic, predictLogistic, type LogisticModel, type LogisticOptions } from './logistic-regression.js';
export { DenseFeatures, SparseFeatures, type FeatureMatrix } from './features.js';
export { embedRows, poolingsOf, type OnProgress, type Pooling } from './embed.js';
export { runProbe, type ProbeItems, type ProbeResult, type ProbeSettings } from './probe.js';
export {
  checkTaskApplies,
  evalTask,
  evalTasks,
  modelForTask,
  modelHeads,
  type EvalHead,
  type EvalInput,
  type EvalSettings,
  type EvalTask,
} from './tasks.js';
