// Every training knob in one visible block (nanoGPT's config section). Presets (presets/*.ts) override a few keys,
// flags override those; resolve.ts merges and freezes. Keys are camelCase; CLI flags are their kebab-case. The
// objective's own options (mask rate, whole-word, packing, ...) sit in `options`, checked by the objective itself.
import type { PositionEmbeddingType } from '../model/config.js';

/** A name `pretext train` takes: an objective id, or a name an objective trains under (mlm+nsp). */
export type TrainObjectiveId = string;
export type ScheduleName = 'linear' | 'cosine' | 'constant';
export type EngineName = 'wasm' | 'reference';
export type { PositionEmbeddingType };

export interface Config {
  // run
  objective: TrainObjectiveId;
  model: string;
  options: Readonly<Record<string, unknown>>;
  lossWeights: string;
  initFrom: string;
  seed: number;
  // data
  corpus: string;
  pairs: string;
  splitSeed: number;
  validationFraction: number;
  tokenizer: string;
  vocabSize: number;
  seqLen: number;
  batchSize: number;
  gradAccum: number;
  // model
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  ffnSize: number;
  maxPositions: number;
  dropout: number;
  initializerRange: number;
  positionEmbedding: PositionEmbeddingType;
  // optimizer
  lr: number;
  schedule: ScheduleName;
  warmupRatio: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maxGradNorm: number;
  // loop
  steps: number;
  evalEvery: number;
  evalBatches: number;
  saveEvery: number;
  keepCheckpoints: number;
  logEvery: number;
  // compute
  engine: EngineName;
  threads: number;
}

export const defaultConfig: Config = {
  objective: 'mlm', // what trains: mlm | clm | nsp | mlm+nsp | sop | mlm+sop | prefix-lm | ... (each objective declares it)
  model: 'auto', // the objective's architecture by name (prefix-lm: decoder, mlm: pre-ln); auto = the first it declares
  options: {}, // the objective's options (pretext objectives): maskProb, wholeWord, pack, ...; its defaults otherwise
  lossWeights: '', // weights of the loss terms, e.g. mlm=1,pair=0.5 (bert: mlm, pair); '' = all 1
  initFrom: '', // a run folder (or checkpoint) whose weights the model starts from; '' = fresh init from seed
  seed: 0, // init, batch order, masking and dropout streams; 0 is a real seed
  corpus: 'brown', // brown | a folder of .txt | a .txt / .jsonl / .parquet file
  pairs: '', // simcse --mode supervised: a JSONL of {anchor, positive, negative} triples, used instead of the corpus
  splitSeed: 0, // the train/validation split by document id (kept apart from `seed` so val sets match across seeds)
  validationFraction: 0.05, // expected share of documents held out
  tokenizer: 'auto', // auto (the built-in Brown tokenizer of the family if its size is vocabSize, else train) | train (WordPiece / byte-level BPE on the train split) | PATH to tokenizer.json
  vocabSize: 30522, // size of a trained tokenizer; the model takes the tokenizer's size
  seqLen: 512, // tokens per row, [CLS] and [SEP] included
  batchSize: 32, // rows per forward pass (micro-batch)
  gradAccum: 1, // micro-batches per optimizer step: a step trains on batchSize x gradAccum rows, as one batch that large would
  hiddenSize: 768, // C
  numLayers: 12, // L
  numHeads: 12, // H; C % H == 0
  ffnSize: 3072, // F
  maxPositions: 512, // position embeddings; >= seqLen
  dropout: 0.1, // hidden, embedding and attention-probability dropout (HF's three dropout knobs set alike)
  initializerRange: 0.02, // std of the normal init (HF _init_weights)
  positionEmbedding: 'absolute', // absolute (learned positions added to the input) | relative_key (BERT: a distance embedding per layer in the attention scores)
  lr: 5e-4, // peak learning rate
  schedule: 'linear', // decay after warm-up: linear | cosine (to 0 at `steps`) | constant
  warmupRatio: 0.06, // warm-up steps = ceil(warmupRatio * steps) (HF warmup_ratio)
  beta1: 0.9,
  beta2: 0.98, // RoBERTa's; 0.999 is torch's default
  eps: 1e-6,
  weightDecay: 0.01, // decoupled; not on biases and LayerNorm weights
  maxGradNorm: 1.0, // clip the global gradient norm; 0 = off
  steps: 10000, // optimizer steps
  evalEvery: 500, // validation every K steps (and at 0 and the end); 0 = off
  evalBatches: 8, // fixed validation batches per evaluation
  saveEvery: 1000, // checkpoint every K steps (and at the end); 0 = only at the end
  keepCheckpoints: 2, // checkpoint-* folders kept, newest first
  logEvery: 50, // progress line every K steps when stderr is not a terminal
  engine: 'wasm', // wasm (SIMD, threads) | reference (plain TypeScript, slow)
  threads: 2, // wasm threads, the calling one included
};
