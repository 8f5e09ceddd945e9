// Public API of src/train: config-driven training that emits events and never prints or touches files.
export {
  AdamW,
  clipGradNorm,
  gradNorm,
  type AdamWOptions,
  type AdamWState,
  type StepResult as OptimizerStepResult,
} from './optimizer.js';
export { learningRate, lrMultiplier, type Schedule, type ScheduleKind } from './schedule.js';
export {
  CorpusTokenizer,
  tokenizeDocuments,
  tokenizeSplit,
  segment,
  tokenCount,
  type TextUnit,
  type TokenizedCorpus,
} from './tokens.js';
export { chunkRows, fullSentenceRows, rowAt, rowCount, type RowSet } from './rows.js';
export { resolveTask, taskModelConfig, trainedBy, type TrainTask } from './task.js';
export { taskRows, type TaskRows } from './task-rows.js';
export { toModelBatch } from './collate.js';
export { parseLossWeights } from './loss-weights.js';
export {
  Trainer,
  scheduleOf,
  type EvalResult,
  type StepResult,
  type TrainerInit,
  type TrainerSnapshot,
} from './trainer.js';
export { trainEvents, type LoopPlan, type TrainEvent } from './loop.js';
export { OPTIMIZER_FILE, decodeMoments, encodeMoments, parseTrainerState, type TrainerState } from './state.js';
export { prepareRun, type PreparedRun, type RunData } from './run.js';
export {
  LOG_FILE,
  MODEL_CONFIG,
  MODEL_WEIGHTS,
  RUN_CONFIG,
  TOKENIZER_FILE,
  TRAINER_STATE,
  checkpointFiles,
  checkpointName,
  checkpointStep,
  initWeights,
  restoreCheckpoint,
} from './checkpoint.js';
