// Public API of src/model: BERT / GPT-2 / T5 as HF's BertForMaskedLM, BertForPreTraining, GPT2LMHeadModel, T5ForConditionalGeneration; checkpoints.
export type { BackwardOptions, ForwardOptions, Model, ModelBatch, ModelOutput, Parameter } from './model.js';
export { bertConfig, gpt2Config, parseModelConfig, t5Config, type BertArchitecture, type BertConfig, type GPT2Config, type ModelConfig, type T5Config, type T5FeedForward } from './config.js';
export { BertModel } from './bert.js';
export { Gpt2Model } from './gpt2.js';
export { T5Model, shiftRight } from './t5.js';
export { MASK_MIN } from './inputs.js';
export { createModel, loadModel, loadStateDict, saveModel, stateDict, type LoadOptions } from './checkpoint.js';
export { readSafetensors, writeSafetensors, type Dtype, type SafetensorsFile, type StoredTensor, type TensorToWrite } from './safetensors.js';
