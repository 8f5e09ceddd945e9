// Rows by sentence (row sources 'sentences' and 'triples'): one row per sentence, [CLS] sentence [SEP] cut to maxLen
// with the [SEP] kept (SimCSE doubles it); or one row per three-sentence document (a --pairs triple, corpus/triples.ts)
// as input_ids, positive_ids and negative_ids (SimCSE supervised).
import type { TokenExample } from '../batch/row.js';
import { ensure } from '../errors.js';
import { segment, type TokenizedCorpus } from './tokens.js';

/** [CLS] ids [SEP], the ids cut to maxLen - 2. */
function wrap(ids: ArrayLike<number>, cls: number, sep: number, maxLen: number): Int32Array {
  const n = Math.min(ids.length, maxLen - 2);
  const out = new Int32Array(n + 2);
  out[0] = cls;
  for (let i = 0; i < n; i++) out[i + 1] = ids[i];
  out[n + 1] = sep;
  return out;
}

/** One row per sentence of the corpus. */
export function sentenceRows(corpus: TokenizedCorpus, cls: number, sep: number, maxLen: number): TokenExample[] {
  const S = corpus.segments.length - 1;
  return Array.from({ length: S }, (_, s) => ({ input_ids: wrap(segment(corpus, s), cls, sep, maxLen) }));
}

/** One supervised row per three-sentence document (triplesAsDocuments): input_ids, positive_ids, negative_ids. */
export function tripleRows(corpus: TokenizedCorpus, cls: number, sep: number, maxLen: number): TokenExample[] {
  const out: TokenExample[] = [];
  for (let d = 0; d + 1 < corpus.documents.length; d++) {
    const first = corpus.documents[d];
    const n = corpus.documents[d + 1] - first;
    ensure(
      n === 3,
      `simcse: supervised rows are (anchor, positive, negative) triples; document ${d} has ${n} sentences (train supervised SimCSE from --pairs FILE.jsonl)`,
    );
    const [input_ids, positive_ids, negative_ids] = [0, 1, 2].map((k) =>
      wrap(segment(corpus, first + k), cls, sep, maxLen),
    );
    out.push({ input_ids, positive_ids, negative_ids });
  }
  return out;
}
