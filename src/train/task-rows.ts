// A tokenized corpus -> the rows one task trains on, through the objective's own transform and the one collation:
// rows -> objective.transform -> padRows -> ModelBatch. Row sources transformed per row are transformed again at
// every step (row i of epoch e exactly as the objective gives it with startIndex i); the others once per run.
import { type Batch, padRows } from '../batch/pad.js';
import type { DocumentExample, ModelInput, TokenExample } from '../batch/row.js';
import type { Config } from '../config/config.js';
import { ensure } from '../errors.js';
import type { ModelBatch } from '../model/index.js';
import type { DocumentObjective, TokenObjective } from '../objectives/objective.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { toModelBatch } from './collate.js';
import { sentenceRows, tripleRows } from './sentence-rows.js';
import { chunkRows, exampleAt, fullSentenceRows, rowCount, type RowSet } from './rows.js';
import type { TrainTask } from './task.js';
import type { TokenizedCorpus } from './tokens.js';

export interface TaskRows {
  readonly count: number;
  /** Rows `indices` as one [B, seqLen] batch; any randomness is keyed by (seed, epoch, row index). */
  batch(indices: ArrayLike<number>, seed: number, epoch: number): ModelBatch;
}

/** The task's rows of `corpus`; row sources drawn once (documents, document-sentences) use `seed` and epoch 0. */
export function taskRows(
  task: TrainTask,
  corpus: TokenizedCorpus,
  c: Readonly<Config>,
  vocab: VocabInfo,
  seed: number,
): TaskRows {
  const collate = (rows: ModelInput[]): ModelBatch =>
    toModelBatch(padRows(rows, { side: 'right', padId: vocab.padId, maxLength: c.seqLen }) as Batch);
  const { reserve = 0 } = task.choice;
  const source = task.rows;
  if (source === 'sentences' || source === 'triples') {
    ensure(
      vocab.clsId !== undefined && vocab.sepId !== undefined,
      `${task.name}: the tokenizer needs [CLS] and [SEP] tokens for its rows`,
    );
    const examples = (source === 'sentences' ? sentenceRows : tripleRows)(corpus, vocab.clsId, vocab.sepId, c.seqLen);
    const objective = task.objective as TokenObjective;
    return {
      count: examples.length,
      batch: (indices, s, epoch) =>
        collate(
          Array.from(indices, (i) =>
            first(
              objective.transform([examples[i]], task.options, { seed: s, epoch, vocab, startIndex: i }),
              task.name,
              i,
            ),
          ),
        ),
    };
  }
  if (source === 'full-sentences' || source === 'chunks') {
    let set: RowSet;
    if (source === 'full-sentences') {
      ensure(
        vocab.clsId !== undefined && vocab.sepId !== undefined,
        `${task.name}: the tokenizer needs [CLS] and [SEP] tokens for its rows`,
      );
      set = fullSentenceRows(corpus, c.seqLen, vocab.clsId, vocab.sepId);
    } else set = chunkRows(corpus, c.seqLen - reserve);
    const objective = task.objective as TokenObjective;
    return {
      count: rowCount(set),
      batch(indices, s, epoch) {
        const rows = Array.from(indices, (i) =>
          first(
            objective.transform([exampleAt(set, i)], task.options, { seed: s, epoch, vocab, startIndex: i }),
            task.name,
            i,
          ),
        );
        return collate(rows);
      },
    };
  }
  const ctx = { seed, epoch: 0, vocab };
  const all =
    source === 'documents'
      ? [...(task.objective as TokenObjective).transform(documentRows(corpus), task.options, ctx)]
      : [...(task.objective as DocumentObjective).transform(documentExamples(corpus), task.options, ctx)];
  return { count: all.length, batch: (indices) => collate(Array.from(indices, (i) => all[i])) };
}

function first(rows: Iterable<ModelInput>, name: string, i: number): ModelInput {
  for (const r of rows) return r;
  throw new Error(`${name}: the transform gave no output for row ${i}`);
}

/** One token row per document: its segments' ids (and word ids), concatenated (views, no copy). */
function* documentRows(c: TokenizedCorpus): Generator<TokenExample> {
  for (let d = 0; d + 1 < c.documents.length; d++) {
    const [from, to] = [c.segments[c.documents[d]], c.segments[c.documents[d + 1]]];
    yield c.words
      ? { input_ids: c.ids.subarray(from, to), word_ids: c.words.subarray(from, to) }
      : { input_ids: c.ids.subarray(from, to) };
  }
}

/** Documents of sentences (and their word ids), for pair objectives. */
function documentExamples(c: TokenizedCorpus): DocumentExample[] {
  const out: DocumentExample[] = [];
  const span = (a: Int32Array, s: number) => a.subarray(c.segments[s], c.segments[s + 1]);
  for (let d = 0; d + 1 < c.documents.length; d++) {
    const sentences: Int32Array[] = [];
    const words: Int32Array[] = [];
    for (let s = c.documents[d]; s < c.documents[d + 1]; s++) {
      sentences.push(span(c.ids, s));
      if (c.words) words.push(span(c.words, s));
    }
    out.push(c.words ? { id: d, sentences, word_ids: words } : { id: d, sentences });
  }
  return out;
}
