// pretext's public API: the pure core (no file system, no terminal). The CLI and the playground are shells over it.
export { PretextError } from './errors.js';
export { Rng, hashString, type RngKey } from './rng/rng.js';
export * from './objectives/objective.js';
export { objectives, objectiveIds, getObjective } from './objectives/index.js';
export * from './objectives/index.js';
export { normalizeVocab, specialMask, regularIds, type VocabInfo } from './objectives/vocab.js';
export { maskTokens } from './objectives/mlm/mask.js';
export { discriminatorLabels } from './objectives/electra/index.js';
export { computeInputAndTargetLengths, randomSpansNoiseMask } from './objectives/span-corruption/index.js';
export { simcseLoss } from './objectives/simcse/index.js';
export { padRows, attentionMask, type Batch } from './batch/index.js';
export { loadTokenizer, trainWordPiece, trainByteLevelBpe, type Tokenizer, type Encoding } from './tokenize/index.js';
export { trainFamilyTokenizer, type TokenizerFamily } from './tokenize/families.js';
export * from './corpus/index.js';
export type { Engine } from './engine/engine.js';
export { createReferenceEngine } from './engine/reference/index.js';
export { createWasmEngine } from './engine/wasm/index.js';
export * from './model/index.js';
