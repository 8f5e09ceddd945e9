// What the trainer needs from an objective, declared per objective (mlm-task.ts, clm-task.ts) so the trainer never
// branches on an objective id: the model family, how text is tokenized and cut into rows, how rows become batches.
import type { Config, TrainObjectiveId } from '../config/config.js';
import type { ModelBatch, ModelConfig } from '../model/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import type { TextUnit, TokenizedCorpus } from './tokens.js';

export interface TrainTask {
  readonly objective: TrainObjectiveId;
  /** the tokenizer family a trained tokenizer follows (WordPiece for bert, byte-level BPE for gpt2) */
  readonly family: 'bert' | 'gpt2';
  readonly unit: TextUnit;
  /** validation metric besides the loss: masked-token accuracy, or perplexity */
  readonly metric: 'accuracy' | 'perplexity';
  /** The HF config of the model this objective trains. */
  modelConfig(c: Config, vocab: VocabInfo): ModelConfig;
  /** Rows of a tokenized corpus, built once. */
  rows(corpus: TokenizedCorpus, c: Config, vocab: VocabInfo): TaskRows;
}

export interface TaskRows {
  readonly count: number;
  /** Rows `indices` as one [B, seqLen] batch; any randomness is keyed by (seed, epoch, row index). */
  batch(indices: ArrayLike<number>, seed: number, epoch: number): ModelBatch;
}
