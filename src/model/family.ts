// Model families: how a training run gets its model. A family turns the run's sizes, the vocabulary's special ids
// and the head an objective asks for into an HF config, creates the model, and names the validation figures a
// forward pass gives. Registered explicitly in families.ts: a new family is one file and one line there.
import type { Engine } from '../engine/engine.js';
import type { ModelConfig, PositionEmbeddingType } from './config.js';
import type { ForwardOptions, Model, ModelBatch, ModelOutput } from './model.js';

/** The sizes every family takes from the run's config (each maps them to its own HF field names). */
export interface ModelDims {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  ffnSize: number;
  maxPositions: number;
  dropout: number;
  initializerRange: number;
  positionEmbedding: PositionEmbeddingType;
}

/** The vocabulary's special ids a config records (pad, bos, eos, decoder start). */
export interface ModelSpecials {
  padId: number;
  bosId?: number;
  eosId?: number;
}

/** What a family builds a model from. `settings`: the objective's resolved options, for families that read some. */
export interface FamilySpec {
  dims: ModelDims;
  specials: ModelSpecials;
  /** the heads to train: 'mlm', 'mlm+pair', 'lm', 'seq2seq', 'rtd', 'contrastive' */
  head: string;
  settings: Readonly<Record<string, unknown>>;
}

/**
 * A sum and its count over validation batches; the trainer reports sum / count (exp of it with `exp`). A name
 * ending in `_loss` is a loss term: the validation loss adds weight x mean of each, the weight being the loss
 * weight of the name before `_loss` (1 unless the run sets it).
 */
export interface MetricSum {
  sum: number;
  count: number;
  exp?: boolean;
}

export interface ModelFamily {
  readonly name: string;
  /** the heads it trains, for error messages */
  readonly heads: readonly string[];
  /** the names of the loss terms a run may weigh (lossWeights), e.g. ['mlm', 'pair'] */
  readonly losses: readonly string[];
  /** weights other than 1 a loss term has unless the run sets it (ELECTRA: rtd 50) */
  readonly lossDefaults?: Readonly<Record<string, number>>;
  /** The HF config of a new model; a head the family lacks is a one-line PretextError. */
  config(spec: FamilySpec): ModelConfig;
  /** A freshly initialised model (HF _init_weights from `seed`). */
  create(config: ModelConfig, engine: Engine, seed: number): Model;
  /** Forward options of a validation pass over `batch` (e.g. logits for accuracy). */
  evalOptions(batch: ModelBatch): ForwardOptions;
  /** The validation figures of one forward pass over `batch`, as named sums. */
  metrics(out: ModelOutput, batch: ModelBatch, config: ModelConfig): Record<string, MetricSum>;
  /**
   * What each loss term of a forward pass over `batch` averages over (labelled positions, pairs), by the names of
   * `losses`. A batch split into micro-batches trains as the whole when each micro-batch's terms are weighed by
   * their share of these counts (gradient accumulation). Absent: the loss does not split (in-batch negatives).
   */
  lossCounts?(batch: ModelBatch): Record<string, number>;
  /** the position_embedding_type values its models take (absent: absolute only) */
  readonly positionEmbeddings?: readonly PositionEmbeddingType[];
}
