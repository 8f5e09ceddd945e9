// The Objective interface: a pure, seeded transform from tokenized examples to model inputs with HF field names.
// Shared code never branches on an objective's id: each objective states what it needs and which heads it trains.
import type { DocumentExample, ModelInput, TokenExample } from '../batch/row.js';
import type { TokenizerFamily } from '../tokenize/families.js';
import type { VocabInfo } from '../tokenize/vocab.js';

export type ObjectiveId =
  | 'mlm'
  | 'clm'
  | 'nsp'
  | 'sop'
  | 'span-corruption'
  | 'prefix-lm'
  | 'electra'
  | 'simcse'
  | 'bart-infilling'
  | 'spanbert'
  | 'ul2';

/** Where randomness comes from: every example's stream is keyed by (seed, epoch, example index, purpose). */
export interface TransformContext {
  seed: number;
  epoch: number;
  vocab: VocabInfo;
  /** Stream index of the first row passed to transform (token objectives; default 0). */
  startIndex?: number;
}

/** A user-settable option; CLI flags are the kebab-case of `key`. */
export interface OptionSpec {
  key: string;
  type: 'number' | 'int' | 'boolean' | 'string';
  default: number | boolean | string | undefined;
  help: string;
  choices?: readonly string[];
}

/** The heads and losses a model needs to train an objective (declared, so models never test objective ids). */
export type Head = 'mlm' | 'lm' | 'nsp' | 'sop' | 'seq2seq' | 'discriminator' | 'contrastive';

/** What the objective requires from the vocabulary and input. */
export interface Needs {
  /** special ids that must be defined, e.g. ['maskId'] */
  specials: readonly (keyof VocabInfo)[];
  /** input rows are documents of sentences (NSP, SOP) rather than token rows */
  documents: boolean;
}

/** The heads a model trains for an objective; a model family says which it has (src/model/families.ts). */
export type TrainHead = 'mlm' | 'mlm+pair' | 'lm' | 'seq2seq' | 'rtd' | 'contrastive';

/**
 * How the trainer cuts a tokenized corpus into the transform's input. Per row, transformed again at every step
 * (keyed by seed, epoch and row index, as `show` does with startIndex): 'full-sentences' = [CLS] sentences [SEP] of
 * at most seqLen tokens (RoBERTa FULL-SENTENCES); 'chunks' = each document's tokens cut into rows of seqLen - reserve.
 * 'sentences' = [CLS] sentence [SEP] per sentence (SimCSE); 'triples' = each three-sentence document as one row
 * with positive_ids and negative_ids (SimCSE supervised, from --pairs).
 * Once per run, the rows then fixed: 'documents' = the stream of whole documents (packing); 'document-sentences' =
 * DocumentExamples (NSP / SOP pairs, as create_pretraining_data draws them once).
 */
export type RowSource = 'full-sentences' | 'chunks' | 'sentences' | 'triples' | 'documents' | 'document-sentences';

/** One architecture an objective trains. */
export interface TrainingChoice<O = any> {
  /** the family of a tokenizer trained for the run */
  tokenizer: TokenizerFamily;
  /** the model family (src/model/families.ts) */
  model: string;
  head: TrainHead;
  /** the row source, or the one the resolved options call for (SimCSE: sentences, or triples when supervised) */
  rows: RowSource | ((options: O) => RowSource);
  /** 'chunks': tokens the transform adds to a row (seqLen - reserve per chunk) */
  reserve?: number;
  /** option defaults of a training run whose rows hold seqLen tokens (under the user's options) */
  options?: (seqLen: number) => Partial<O>;
}

/** What an objective trains: its architectures by --model name (the first is the default) and the names it trains under. */
export interface Training<O = any> {
  models: Readonly<Record<string, TrainingChoice<O>>>;
  /** training names with their option defaults; absent = the objective's id alone ({ [id]: {} }) */
  names?: Readonly<Record<string, Partial<O>>>;
}

interface ObjectiveBase<O> {
  readonly id: ObjectiveId;
  readonly title: string;
  readonly summary: string;
  readonly needs: Needs;
  readonly heads: readonly Head[];
  readonly options: readonly OptionSpec[];
  /** Defaults <- partial; validates every value; throws PretextError with a one-line message. */
  resolve(partial: Partial<O>): O;
  /** What `pretext train` trains with it; absent = not trainable yet. */
  readonly training?: Training<O>;
}

/** An objective over token rows: example index i is the i-th row of the stream. */
export interface TokenObjective<O = any> extends ObjectiveBase<O> {
  readonly needs: Needs & { documents: false };
  transform(rows: Iterable<TokenExample>, opts: O, ctx: TransformContext): Iterable<ModelInput>;
}

/** An objective over whole documents (pairs of segments); it sees the whole corpus to draw other documents. */
export interface DocumentObjective<O = any> extends ObjectiveBase<O> {
  readonly needs: Needs & { documents: true };
  transform(docs: readonly DocumentExample[], opts: O, ctx: TransformContext): Iterable<ModelInput>;
}

export type Objective<O = any> = TokenObjective<O> | DocumentObjective<O>;

/** Defaults of an option list as an object. */
export function optionDefaults(options: readonly OptionSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of options) if (o.default !== undefined) out[o.key] = o.default;
  return out;
}

/** True for objectives over whole documents (NSP, SOP). */
export function isDocumentObjective(o: Objective): o is DocumentObjective {
  return o.needs.documents;
}
