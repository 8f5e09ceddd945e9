// The evaluation tasks, an explicit registry: each states the heads a model needs for it (any one of them) and the
// data it reads, and runs on data the caller passes in (src stays pure). A model without the head is refused in
// one line naming what the task needs and what the model has.
import type { Document } from '../corpus/document.js';
import { PretextError } from '../errors.js';
import type { Model, ModelBatch, ModelConfig } from '../model/index.js';
import type { DocumentObjective } from '../objectives/objective.js';
import type { Tokenizer } from '../tokenize/index.js';
import { heldOutPerplexity } from './causal-lm.js';
import { poolingsOf, type OnProgress, type Pooling } from './embed.js';
import { fillMaskAccuracy, pseudoPerplexity } from './masked-lm.js';
import { adjacentSentencePairs } from './held-out.js';
import { pairAccuracy } from './pair-accuracy.js';
import { pairFigures } from './sentence-pairs.js';
import { replacedTokenDetection, spanAccuracy } from './held-out-rows.js';
import { runProbe, type ExternalBaseline } from './probe.js';
import { genreItems, modelRow, rowCapacity, sentenceItems, type LabelledSentence } from './probe-items.js';

/** What a model can be evaluated through: its pretraining heads (issue 6's names), or its encoder alone. */
export type EvalHead = 'encoder' | 'mlm' | 'pair' | 'lm' | 'seq2seq' | 'rtd' | 'contrastive';

/** The heads of a model, from its HF config (a SimCSE run is a BertModel: its encoder trained contrastively; T5's encoder stands alone). */
export function modelHeads(config: ModelConfig): EvalHead[] {
  const arch = config.architectures[0];
  if (config.model_type === 'gpt2') return ['encoder', 'lm'];
  if (config.model_type === 't5') return ['encoder', 'seq2seq'];
  if (config.model_type === 'electra')
    return arch === 'ElectraForPreTraining' ? ['encoder', 'rtd'] : ['encoder', 'mlm'];
  if (arch === 'BertModel') return ['encoder', 'contrastive'];
  return arch === 'BertForPreTraining' ? ['encoder', 'mlm', 'pair'] : ['encoder', 'mlm'];
}

/** Where a task's data comes from: all of Brown, the run's held-out documents, those documents as the run's own training rows, or labelled sentences. */
export type EvalData = 'brown' | 'held-out' | 'held-out-rows' | 'sentences';

export interface EvalInput {
  documents?: Document[];
  sentences?: LabelledSentence[];
  classNames?: string[];
  /** baselines the caller scored per sentence (the sentiment lexicon) */
  baselines?: ExternalBaseline[];
  /** the pair objective (nsp, sop) whose transform makes the pairs */
  pairObjective?: DocumentObjective;
  /** held-out rows made by the run's objective as in training, batched */
  batches?: ModelBatch[];
}

export interface EvalSettings {
  seed: number;
  pooling?: Pooling;
  testFraction: number;
  /** probes: sklearn's C; undefined = chosen from a grid on an inner split */
  C?: number;
  chunkTokens: number;
  chunksPerDoc: number;
  maxTokens: number;
  maskProb: number;
  /** id of the pair objective (reported; the objective itself comes in EvalInput) */
  pairObjective: string;
  maxSeqLen: number;
  maxPairs: number;
}

export interface EvalTask {
  id: string;
  summary: string;
  /** any one of these heads */
  heads: readonly EvalHead[];
  data: EvalData;
  /** runs on the model as trained, all its parts together (ELECTRA's generator and discriminator); otherwise on the part with the head */
  whole?: boolean;
  /** what onProgress counts */
  unit: string;
  /** the settings it reads, for --json and the help */
  settings: readonly (keyof EvalSettings)[];
  run(model: Model, tokenizer: Tokenizer, input: EvalInput, s: EvalSettings, onProgress?: OnProgress): object;
}

const need = <T>(x: T | undefined, what: string): T => {
  if (x === undefined) throw new PretextError(`eval: ${what} missing`);
  return x;
};
const poolingOf = (model: Model, s: EvalSettings): Pooling => s.pooling ?? poolingsOf(model.config)[0];
const probeSettings = (model: Model, s: EvalSettings) => ({
  pooling: poolingOf(model, s),
  seed: s.seed,
  testFraction: s.testFraction,
  C: s.C,
});

export const evalTasks: readonly EvalTask[] = [
  {
    id: 'probe-genre',
    unit: 'chunks',
    summary: 'logistic-regression probe on pooled features of Brown chunks: its 15 genres, split by document',
    heads: ['encoder'],
    data: 'brown',
    settings: ['pooling', 'seed', 'testFraction', 'C', 'chunkTokens', 'chunksPerDoc'],
    run: (model, tok, input, s, onProgress) => {
      const items = genreItems(need(input.documents, 'documents'), tok, model.config, {
        chunkTokens: s.chunkTokens,
        chunksPerDoc: s.chunksPerDoc,
      });
      return {
        item: `chunks of ${s.chunkTokens} tokens, at most ${s.chunksPerDoc} per document, evenly spaced`,
        ...runProbe(model, items, probeSettings(model, s), tok.vocabInfo().padId, [], onProgress),
      };
    },
  },
  {
    id: 'probe-sentiment',
    unit: 'sentences',
    summary:
      'logistic-regression probe on pooled sentence features: the 3,000 labelled UCI sentences (Amazon, IMDB, Yelp)',
    heads: ['encoder'],
    data: 'sentences',
    settings: ['pooling', 'seed', 'testFraction', 'C'],
    run: (model, tok, input, s, onProgress) => {
      const items = sentenceItems(
        need(input.sentences, 'sentences'),
        need(input.classNames, 'class names'),
        tok,
        model.config,
      );
      return {
        item: 'one sentence (same text = one group)',
        ...runProbe(model, items, probeSettings(model, s), tok.vocabInfo().padId, input.baselines ?? [], onProgress),
      };
    },
  },
  {
    id: 'fill-mask',
    unit: 'rows',
    summary: "masked-token accuracy on the run's held-out documents, masked as in training",
    heads: ['mlm'],
    data: 'held-out',
    settings: ['maskProb', 'seed', 'maxTokens'],
    run: (model, tok, input, s, onProgress) =>
      fillMaskAccuracy(model, tok, need(input.documents, 'documents'), s, onProgress),
  },
  {
    id: 'pseudo-perplexity',
    unit: 'tokens',
    summary: 'pseudo-perplexity of a masked LM on held-out text (Salazar et al. 2020: each token masked in turn)',
    heads: ['mlm'],
    data: 'held-out',
    settings: ['maxTokens'],
    run: (model, tok, input, s, onProgress) =>
      pseudoPerplexity(model, tok, need(input.documents, 'documents'), s, onProgress),
  },
  {
    id: 'perplexity',
    unit: 'windows',
    summary: "perplexity of a causal LM on the run's held-out documents",
    heads: ['lm'],
    data: 'held-out',
    settings: ['maxTokens'],
    run: (model, tok, input, s, onProgress) =>
      heldOutPerplexity(model, tok, need(input.documents, 'documents'), s, onProgress),
  },
  {
    id: 'pair',
    unit: 'pairs',
    summary: 'NSP / SOP accuracy on held-out documents; NSP also with NotNext B from the same genre',
    heads: ['pair'],
    data: 'held-out',
    settings: ['pairObjective', 'seed', 'maxSeqLen', 'maxPairs'],
    run: (model, tok, input, s, onProgress) =>
      pairAccuracy(
        model,
        tok,
        need(input.documents, 'documents'),
        {
          objective: need(input.pairObjective, 'pair objective'),
          seed: s.seed,
          maxSeqLen: s.maxSeqLen,
          maxPairs: s.maxPairs,
        },
        onProgress,
      ),
  },
  {
    id: 'sentence-pairs',
    unit: 'pairs',
    summary:
      "alignment, uniformity (Wang & Isola) and retrieval accuracy over held-out adjacent-sentence pairs: SimCSE's sentence vectors, other encoders pooled",
    heads: ['contrastive', 'encoder'],
    data: 'held-out',
    settings: ['pooling', 'maxPairs'],
    run: (model, tok, input, s) => {
      const pairs = adjacentSentencePairs(
        need(input.documents, 'documents'),
        tok,
        rowCapacity(model.config),
        s.maxPairs,
      );
      const rows = pairs.map((p) => ({ x: modelRow(p.x, model.config, tok), y: modelRow(p.y, model.config, tok) }));
      const own = modelHeads(model.config).includes('contrastive');
      const vectors = own ? "the model's evaluation pooler" : `${poolingOf(model, s)}-pooled final hidden states`;
      return {
        item: `a held-out sentence and the next one of its document, each embedded by ${vectors}`,
        ...pairFigures(model, rows, tok.vocabInfo().padId, own ? undefined : poolingOf(model, s)),
      };
    },
  },
  {
    id: 'span-accuracy',
    unit: 'batches',
    summary:
      "seq2seq: exact-span and token accuracy (teacher forcing) on the run's held-out documents, corrupted as in training",
    heads: ['seq2seq'],
    data: 'held-out-rows',
    settings: ['maxTokens'],
    run: (model, _tok, input, _s, onProgress) => ({
      item: "the run's own rows of its held-out documents (its objective, split seed as the seed)",
      ...spanAccuracy(model, need(input.batches, 'held-out rows'), onProgress),
    }),
  },
  {
    id: 'rtd',
    unit: 'batches',
    summary:
      "ELECTRA: replaced-token detection AUC and discriminator accuracy on the run's held-out documents, masked and sampled as in training",
    heads: ['rtd'],
    whole: true,
    data: 'held-out-rows',
    settings: ['maxTokens'],
    run: (model, _tok, input, _s, onProgress) => ({
      item: "the run's own rows of its held-out documents; the generator samples from a fixed stream",
      ...replacedTokenDetection(model, need(input.batches, 'held-out rows'), onProgress),
    }),
  },
];

/** The task of that id, or a one-line error listing them. */
export function evalTask(id: string): EvalTask {
  const t = evalTasks.find((x) => x.id === id);
  if (!t) throw new PretextError(`unknown eval task '${id}' (tasks: ${evalTasks.map((x) => x.id).join(', ')})`);
  return t;
}

/**
 * The model a task runs on: the model as trained for a `whole` task; else the model itself or, for a model of parts
 * (ELECTRA: discriminator '', generator), the first part with one of the task's heads; undefined when none has one.
 */
export function modelForTask(task: EvalTask, model: Model): Model | undefined {
  const fits = (m: Model) => task.heads.some((h) => modelHeads(m.config).includes(h));
  if (task.whole || !model.parts) return fits(model) ? model : undefined;
  return Object.values(model.parts()).find(fits);
}

/** Throw one line unless the model has one of the task's heads. */
export function checkTaskApplies(task: EvalTask, config: ModelConfig): void {
  const has = modelHeads(config);
  if (task.heads.some((h) => has.includes(h))) return;
  const arch = String(config.architectures?.[0] ?? config.model_type);
  throw new PretextError(
    `${task.id} needs a model with the ${task.heads.join(' or ')} head; this run is a ${arch} (heads: ${has.join(', ')})`,
  );
}
