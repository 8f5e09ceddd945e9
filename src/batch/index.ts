// Collation and attention masks: pure functions over typed arrays.
export { IGNORE_INDEX, type DocumentExample, type ModelInput, type PairSource, type TokenExample } from './row.js';
export { RowArena } from './arena.js';
export { attentionMask, type AttentionKind, type AttentionOptions } from './attention.js';
export { padRows, type Batch, type BatchField, type PadOptions } from './pad.js';
