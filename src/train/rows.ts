// Token rows cut once per run from a tokenized corpus: FULL-SENTENCES rows and document chunks (variable length).
// The objective's transform (masking, splitting) and the batch order happen later, per step.
import type { TokenExample } from '../batch/row.js';
import { ensure } from '../errors.js';
import type { TokenizedCorpus } from './tokens.js';

/** Variable-length rows, concatenated: row r is tokens[starts[r] .. starts[r + 1]). */
export interface RowSet {
  tokens: Int32Array;
  /** [R + 1] */
  starts: Int32Array;
  /** beside tokens when the corpus has word ids: the corpus-wide word of each token, -1 for [CLS] / [SEP] */
  words?: Int32Array;
}

export const rowCount = (r: RowSet): number => r.starts.length - 1;

export const rowAt = (r: RowSet, i: number): Int32Array => r.tokens.subarray(r.starts[i], r.starts[i + 1]);

/** Row i as a transform's input: its ids and, when the set has them, its word ids. */
export function exampleAt(r: RowSet, i: number): TokenExample {
  const e: TokenExample = { input_ids: rowAt(r, i) };
  if (r.words) e.word_ids = r.words.subarray(r.starts[i], r.starts[i + 1]);
  return e;
}

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
  const words = c.words ? new Int32Array(tokens.length).fill(-1) : undefined;
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
  // c.ids[from, to) into the open row
  const put = (from: number, to: number) => {
    if (cur === 0) open();
    tokens.set(c.ids.subarray(from, to), at);
    words?.set((c.words as Int32Array).subarray(from, to), at);
    at += to - from;
    cur += to - from;
  };
  for (let d = 0; d < D; d++) {
    for (let s = c.documents[d]; s < c.documents[d + 1]; s++) {
      const [from, to] = [c.segments[s], c.segments[s + 1]];
      const sep = s === c.documents[d] && cur > 0 ? 1 : 0;
      if (cur + sep + to - from <= cap) {
        if (sep) {
          tokens[at++] = sepId;
          cur++;
        }
        put(from, to);
        continue;
      }
      if (cur > 0) flush();
      let j = from;
      for (; to - j > cap; j += cap) {
        put(j, j + cap);
        flush();
      }
      if (j < to) put(j, to);
    }
  }
  if (cur > 0) flush();
  return { tokens: tokens.slice(0, at), starts: starts.slice(0, R + 1), words: words?.slice(0, at) };
}

/**
 * Each document's tokens (its segments concatenated) cut into rows of at most `length` tokens; a last piece under
 * 2 tokens is dropped (nothing to predict from). Example, length 3, doc [a b c d e f g]: [a b c] [d e f].
 */
export function chunkRows(c: TokenizedCorpus, length: number): RowSet {
  ensure(length >= 2, `rows: rows of ${length} tokens are too short to train on`);
  const D = c.documents.length - 1;
  const tokens = new Int32Array(c.ids.length);
  const words = c.words ? new Int32Array(c.ids.length) : undefined;
  const starts: number[] = [0];
  let at = 0;
  for (let d = 0; d < D; d++) {
    const [from, to] = [c.segments[c.documents[d]], c.segments[c.documents[d + 1]]];
    for (let j = from; to - j >= 2; j += length) {
      const end = Math.min(to, j + length);
      tokens.set(c.ids.subarray(j, end), at);
      words?.set((c.words as Int32Array).subarray(j, end), at);
      at += end - j;
      starts.push(at);
    }
  }
  return { tokens: tokens.slice(0, at), starts: Int32Array.from(starts), words: words?.slice(0, at) };
}
