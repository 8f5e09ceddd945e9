// What each knob accepts: kind, range and choices, with the help line the CLI prints. Typed against Config so a new
// knob without an entry fails to compile.
import { trainingNames } from '../objectives/index.js';
import { positionEmbeddingTypes } from '../model/config.js';
import type { Config } from './config.js';

export type KnobKind = 'int' | 'number' | 'boolean' | 'string' | 'object';

export interface Knob {
  kind: KnobKind;
  help: string;
  choices?: readonly string[];
  /** inclusive lower bound */
  min?: number;
  /** inclusive upper bound */
  max?: number;
  /** exclusive lower bound */
  above?: number;
}

const int = (help: string, min = 0): Knob => ({ kind: 'int', help, min });
const num = (help: string, bounds: Partial<Knob> = {}): Knob => ({ kind: 'number', help, ...bounds });
const prob = (help: string): Knob => num(help, { min: 0, max: 1 });

export const schema: { [K in keyof Config]: Knob } = {
  objective: { kind: 'string', help: 'what to train (an objective id, or mlm+nsp / mlm+sop)', choices: trainingNames },
  model: { kind: 'string', help: "the objective's architecture (prefix-lm: decoder, mlm: pre-ln); auto = its first" },
  options: { kind: 'object', help: "the objective's options (its flags, pretext objectives --markdown)" },
  lossWeights: { kind: 'string', help: 'loss weights name=w,... (bert: mlm, pair); empty = all 1' },
  initFrom: { kind: 'string', help: "start from this run's (or checkpoint's) weights and tokenizer" },
  seed: int('seed of init, batch order, masking and dropout'),
  corpus: { kind: 'string', help: 'brown, a folder of .txt files, or a .txt / .jsonl / .parquet file' },
  pairs: {
    kind: 'string',
    help: 'simcse --mode supervised: JSONL of {"anchor", "positive", "negative"} triples (or sent0 / sent1 / hard_neg), used instead of --corpus',
  },
  splitSeed: int('seed of the train/validation split by document'),
  validationFraction: num('share of documents held out for validation', { above: 0, max: 1 }),
  tokenizer: {
    kind: 'string',
    help: 'auto (for the brown corpus the built-in tokenizer if its size is vocab-size; else one trained on the corpus), train, or a tokenizer.json path',
  },
  vocabSize: int('vocabulary size of a trained tokenizer', 16),
  seqLen: int('tokens per row', 8),
  batchSize: int('rows per forward pass (a step takes --grad-accum of them)', 1),
  gradAccum: int(
    'micro-batches of --batch-size rows per optimizer step (gradient accumulation: the same step as one batch that large, in the memory of one)',
    1,
  ),
  hiddenSize: int('hidden size', 1),
  numLayers: int('transformer layers', 1),
  numHeads: int('attention heads', 1),
  ffnSize: int('feed-forward size', 1),
  maxPositions: int('position embeddings', 1),
  dropout: num('dropout probability (hidden, embeddings and attention probabilities)', { min: 0, max: 0.99 }),
  initializerRange: num('std of the initial weights', { above: 0 }),
  positionEmbedding: {
    kind: 'string',
    help: 'positions: absolute (learned, added to the input) or relative_key (BERT: distance embeddings in the attention scores, HF position_embedding_type)',
    choices: [...positionEmbeddingTypes],
  },
  lr: num('peak learning rate', { above: 0 }),
  schedule: { kind: 'string', help: 'learning-rate decay after warm-up', choices: ['linear', 'cosine', 'constant'] },
  warmupRatio: prob('share of steps spent warming up'),
  beta1: num('AdamW beta1', { min: 0, max: 0.9999999 }),
  beta2: num('AdamW beta2', { min: 0, max: 0.9999999 }),
  eps: num('AdamW epsilon', { above: 0 }),
  weightDecay: num('AdamW decoupled weight decay', { min: 0 }),
  maxGradNorm: num('clip the gradient norm to this (0 = off)', { min: 0 }),
  steps: int('optimizer steps', 1),
  evalEvery: int('validate every K steps (0 = off)'),
  evalBatches: int('validation batches per evaluation', 1),
  saveEvery: int('checkpoint every K steps (0 = at the end only)'),
  keepCheckpoints: int('checkpoints kept', 1),
  logEvery: int('progress line every K steps when stderr is not a terminal', 1),
  engine: { kind: 'string', help: 'compute engine', choices: ['wasm', 'reference'] },
  threads: int('wasm engine threads', 1),
};
