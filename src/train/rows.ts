// Token rows built once per run from a tokenized corpus: MLM's FULL-SENTENCES rows (variable length) and CLM's
// packed blocks (fixed length). Masking and batch order happen later, per step.
import { ensure } from '../errors.js';
import { packDocuments, type ClmOptions } from '../objectives/clm/index.js';
import type { TokenExample } from '../batch/row.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import type { TokenizedCorpus } from './tokens.js';

/** Variable-length rows, concatenated: row r is tokens[starts[r] .. starts[r + 1]). */
export interface RowSet {
  tokens: Int32Array;
  /** [R + 1] */
  starts: Int32Array;
}

export const rowCount = (r: RowSet): number => r.starts.length - 1;

export const rowAt = (r: RowSet, i: number): Int32Array => r.tokens.subarray(r.starts[i], r.starts[i + 1]);

/**
 * RoBERTa's FULL-SENTENCES rows (Liu et al. 2019, 4.2): [CLS] sentences [SEP] of at most seqLen tokens, packed from
 * consecutive sentences; rows cross documents with a [SEP] between them. A sentence longer than seqLen - 2 is cut
 * into pieces of seqLen - 2 (the last piece packs on).
 * Example, seqLen 6, doc1 [a b] [c], doc2 [d e f g h i]: [CLS] a b c [SEP] | [CLS] d e f g [SEP] | [CLS] h i [SEP].
 */
export function fullSentenceRows(c: TokenizedCorpus, seqLen: number, clsId: number, sepId: number): RowSet {
  const cap = seqLen - 2;
  ensure(cap >= 1, `rows: seqLen ${seqLen} leaves no room between [CLS] and [SEP]`);
  const D = c.documents.length - 1;
  const nSeg = c.segments.length - 1;
  // Upper bound on rows: one per segment plus one per full piece; tokens: ids + 3 per row.
  const maxRows = nSeg + Math.ceil(c.ids.length / cap);
  const tokens = new Int32Array(c.ids.length + 3 * maxRows);
  const starts = new Int32Array(maxRows + 1);
  let R = 0;
  let at = 0; // write position in tokens
  let cur = 0; // content tokens in the open row
  const open = () => {
    tokens[at++] = clsId;
    cur = 0;
  };
  const flush = () => {
    tokens[at++] = sepId;
    starts[++R] = at;
    cur = 0;
  };
  const put = (ids: Int32Array) => {
    if (cur === 0) open();
    tokens.set(ids, at);
    at += ids.length;
    cur += ids.length;
  };
  for (let d = 0; d < D; d++) {
    for (let s = c.documents[d]; s < c.documents[d + 1]; s++) {
      const ids = c.ids.subarray(c.segments[s], c.segments[s + 1]);
      const sep = s === c.documents[d] && cur > 0 ? 1 : 0;
      if (cur + sep + ids.length <= cap) {
        if (sep) {
          tokens[at++] = sepId;
          cur++;
        }
        put(ids);
        continue;
      }
      if (cur > 0) flush();
      let j = 0;
      for (; ids.length - j > cap; j += cap) {
        put(ids.subarray(j, j + cap));
        flush();
      }
      if (j < ids.length) put(ids.subarray(j));
    }
  }
  if (cur > 0) flush();
  return { tokens: tokens.slice(0, at), starts: starts.slice(0, R + 1) };
}

/** Fixed-length packed rows, [R, T] each, as the clm objective's packDocuments lays them out. */
export interface PackedRows {
  count: number;
  length: number;
  input_ids: Int32Array;
  labels: Int32Array;
  position_ids: Int32Array;
  /** with documentAttention: the segment index of each token within its row */
  document_ids?: Int32Array;
}

/** Pack every document (its segments concatenated, one EOS after it) into blocks of opts.blockSize; the remainder drops. */
export function packedRows(c: TokenizedCorpus, opts: ClmOptions, vocab: VocabInfo): PackedRows {
  ensure(opts.remainder === 'drop' && opts.compat === 'none', 'rows: training packs with remainder drop and compat none');
  const T = opts.blockSize;
  const D = c.documents.length - 1;
  const docs = function* (): Generator<TokenExample> {
    for (let d = 0; d < D; d++) yield { input_ids: c.ids.subarray(c.segments[c.documents[d]], c.segments[c.documents[d + 1]]) };
  };
  const count = Math.floor((c.ids.length + D) / T);
  const out: PackedRows = {
    count,
    length: T,
    input_ids: new Int32Array(count * T),
    labels: new Int32Array(count * T),
    position_ids: new Int32Array(count * T),
    document_ids: opts.documentAttention ? new Int32Array(count * T) : undefined,
  };
  let r = 0;
  for (const row of packDocuments(docs(), opts, vocab)) {
    out.input_ids.set(row.input_ids, r * T);
    out.labels.set(row.labels as Int32Array, r * T);
    out.position_ids.set(row.position_ids as Int32Array, r * T);
    out.document_ids?.set(row.document_ids as Int32Array, r * T);
    r++;
  }
  ensure(r === count, `rows: packing made ${r} blocks, expected ${count}`);
  return out;
}
