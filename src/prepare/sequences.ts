// A document as the sequences of a token stream, the way Megatron-LM's tools/preprocess_data.py cuts them: each
// sentence a sequence (BERT-style data, --split-sentences; the trainer adds [CLS]/[SEP] and masks), or the whole
// document one sequence ended by the end-of-text token (GPT-style data, --append-eod; the trainer packs).
import type { Document } from '../corpus/document.js';
import type { Tokenizer } from '../tokenize/index.js';

export type StreamUnit = 'sentence' | 'document';

/** The ids of `doc`'s sequences, no special tokens but `eosId` after a document unit; empty sequences dropped. */
export function documentSequences(doc: Document, tok: Tokenizer, unit: StreamUnit, eosId?: number): Int32Array[] {
  if (unit === 'sentence') {
    const out: Int32Array[] = [];
    for (const s of doc.sentences) {
      const ids = tok.encodeIds(s, { addSpecialTokens: false });
      if (ids.length > 0) out.push(ids);
    }
    return out;
  }
  const ids = tok.encodeIds(doc.sentences.join(' '), { addSpecialTokens: false });
  if (ids.length === 0) return [];
  if (eosId === undefined) return [ids];
  const withEos = new Int32Array(ids.length + 1);
  withEos.set(ids);
  withEos[ids.length] = eosId;
  return [withEos];
}

/** Sequences flattened for a worker hand-off: ids back to back and each sequence's length. */
export interface PackedSequences {
  ids: Int32Array;
  lengths: Int32Array;
  /** [docs] sequences per document */
  perDocument: Int32Array;
}

/** Flatten the sequences of several documents (one transferable buffer each). */
export function packSequences(docs: readonly Int32Array[][]): PackedSequences {
  let n = 0;
  let s = 0;
  for (const seqs of docs) for (const q of seqs) (n += q.length), s++;
  const ids = new Int32Array(n);
  const lengths = new Int32Array(s);
  const perDocument = new Int32Array(docs.length);
  let at = 0;
  let k = 0;
  docs.forEach((seqs, d) => {
    perDocument[d] = seqs.length;
    for (const q of seqs) {
      ids.set(q, at);
      at += q.length;
      lengths[k++] = q.length;
    }
  });
  return { ids, lengths, perDocument };
}

/** The inverse of packSequences: documents of sequences (views into `p.ids`). */
export function unpackSequences(p: PackedSequences): Int32Array[][] {
  const out: Int32Array[][] = [];
  let at = 0;
  let k = 0;
  for (let d = 0; d < p.perDocument.length; d++) {
    const seqs: Int32Array[] = [];
    for (let i = 0; i < p.perDocument[d]; i++, k++) {
      seqs.push(p.ids.subarray(at, at + p.lengths[k]));
      at += p.lengths[k];
    }
    out.push(seqs);
  }
  return out;
}
