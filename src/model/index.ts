// Public API of src/model: BERT / GPT-2 / T5 / ELECTRA as HF's BertForMaskedLM, BertForPreTraining,
// RobertaPreLayerNormForMaskedLM (pre-LN BERT), GPT2LMHeadModel, T5ForConditionalGeneration, ElectraForMaskedLM +
// ElectraForPreTraining (trained together), SimCSE on BertModel; checkpoints.
export type { BackwardOptions, ForwardOptions, KvCache, Model, ModelBatch, ModelOutput, Parameter } from './model.js';
export {
  bertConfig,
  bertPositions,
  electraConfig,
  electraGeneratorConfig,
  gpt2Config,
  isBertConfig,
  isPreLayerNorm,
  parseModelConfig,
  robertaPreLayerNormConfig,
  t5Config,
  type BertArchitecture,
  type BertConfig,
  type ElectraArchitecture,
  type ElectraConfig,
  type GPT2Config,
  type ModelConfig,
  type T5Config,
  type T5FeedForward,
} from './config.js';
export { BertModel } from './bert.js';
export { Gpt2Model } from './gpt2.js';
export { Gpt2KvCache } from './gpt2-kv-cache.js';
export { T5Model, shiftRight } from './t5.js';
export { T5Generator, type GreedyOptions } from './t5-generate.js';
export { ElectraModel } from './electra.js';
export {
  ElectraPretraining,
  GENERATOR_PREFIX,
  type DuplicateRule,
  type ElectraPretrainingOptions,
} from './electra-pretraining.js';
export { SimcseModel, simcseConfig, SIMCSE_POOLERS, type SimcsePooler, type SimcseSettings } from './simcse.js';
export { alignmentUniformity, infoNce, retrievalAccuracy } from './simcse-loss.js';
export { rocAuc, rtdAccuracy } from './rtd-metrics.js';
export { MASK_MIN } from './inputs.js';
export {
  createModel,
  loadModel,
  loadParts,
  loadStateDict,
  saveModel,
  stateDict,
  type LoadOptions,
} from './checkpoint.js';
export {
  readSafetensors,
  writeSafetensors,
  type Dtype,
  type SafetensorsFile,
  type StoredTensor,
  type TensorToWrite,
} from './safetensors.js';
export { modelFamilies, modelFamily } from './families.js';
export type { FamilySpec, MetricSum, ModelDims, ModelFamily, ModelSpecials } from './family.js';
