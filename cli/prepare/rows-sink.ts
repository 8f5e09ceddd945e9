// Rows with static masks for one shard: each document's sentences as RoBERTa's FULL-SENTENCES rows within the
// document ([CLS] sentences [SEP], at most --seq-len tokens, as pretext train builds MLM rows), then the
// objective's transform once per epoch of masks (BERT's dupe_factor), keyed by the document's corpus index.
import { PretextError } from '../../src/errors.js';
import type { ModelInput, TokenExample } from '../../src/batch/row.js';
import type { TokenObjective } from '../../src/objectives/objective.js';
import { ROWS_PER_DOCUMENT_KEY } from '../../src/prepare/shards.js';
import type { VocabInfo } from '../../src/tokenize/vocab.js';
import { fullSentenceRows, rowAt, rowCount } from '../../src/train/rows.js';
import { RowShardWriter, type RowFormat } from './row-writer.js';
import type { ShardSink } from './stream-run.js';

export interface RowsSettings {
  dir: string;
  format: RowFormat;
  seqLen: number;
  vocab: VocabInfo;
  objective: TokenObjective;
  options: unknown;
  seed: number;
  epochs: number;
}

/** The FULL-SENTENCES rows of one document's sentences. */
export function documentRows(sentences: readonly Int32Array[], seqLen: number, vocab: VocabInfo): TokenExample[] {
  const { clsId, sepId } = vocab;
  if (clsId === undefined || sepId === undefined)
    throw new PretextError('rows with static masks need a tokenizer with [CLS] and [SEP]');
  let n = 0;
  for (const s of sentences) n += s.length;
  const ids = new Int32Array(n);
  const segments = new Int32Array(sentences.length + 1);
  sentences.forEach((s, i) => {
    ids.set(s, segments[i]);
    segments[i + 1] = segments[i] + s.length;
  });
  const rows = fullSentenceRows({ ids, segments, documents: Int32Array.of(0, sentences.length) }, seqLen, clsId, sepId);
  return Array.from({ length: rowCount(rows) }, (_, i) => ({ input_ids: rowAt(rows, i) }));
}

export function rowsSink(s: RowsSettings, name: string): ShardSink {
  const writer = new RowShardWriter(s.dir, name, s.format, s.seqLen, s.vocab.padId);
  return {
    get files() {
      return writer.files;
    },
    get counts() {
      return writer.counts;
    },
    addDocument(sentences, doc) {
      const rows = sentences.length === 0 ? [] : documentRows(sentences, s.seqLen, s.vocab);
      if (rows.length > ROWS_PER_DOCUMENT_KEY)
        throw new PretextError(`document ${doc} makes ${rows.length} rows, more than ${ROWS_PER_DOCUMENT_KEY}`);
      const out: ModelInput[] = [];
      if (rows.length > 0)
        for (let epoch = 0; epoch < s.epochs; epoch++)
          out.push(
            ...s.objective.transform(rows, s.options, {
              seed: s.seed,
              epoch,
              vocab: s.vocab,
              startIndex: doc * ROWS_PER_DOCUMENT_KEY,
            }),
          );
      writer.addDocument(out);
    },
    commit: () => writer.commit(),
    abort: () => writer.abort(),
  };
}
