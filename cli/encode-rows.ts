// Documents of text -> the rows transform reads, through a tokenizer: token rows {input_ids, word_ids} (one per
// document, or per sentence) and document rows {id, sentences, word_ids} for nsp/sop. `tokenizer encode` writes
// them; `transform` makes them on the way when it is given text.
import type { DocumentExample, TokenExample } from '../src/batch/row.js';
import type { Document } from '../src/corpus/index.js';
import { maskingWordIds, type Encoding, type Tokenizer } from '../src/tokenize/index.js';

export type RowUnit = 'document' | 'sentence';

/** Word ids for whole-word and span masking: the tokenizer family's reference rule, or the pre-tokenizer's words. */
export type WordSource = 'reference' | 'pre-tokenizer';

/** The flag that picks them (as show's). */
export const wordsFlag = {
  name: 'words',
  type: 'string',
  default: 'reference',
  choices: ['reference', 'pre-tokenizer'],
  help: "word_ids: the tokenizer family's reference rule (WordPiece ##, byte-level Ġ, SentencePiece ▁), or the pre-tokenizer's words",
} as const;

const wordIdsOf = (tok: Tokenizer, enc: Encoding, words: WordSource = 'reference'): Int32Array =>
  maskingWordIds(tok, enc, words === 'pre-tokenizer' ? 'pre-tokenizer' : undefined);

export interface TokenRow extends TokenExample {
  id: string;
  word_ids: Int32Array;
  tokens?: string[];
}

export interface TokenRowOptions {
  /** add the tokenizer's special tokens ([CLS] ... [SEP]) to each row */
  addSpecialTokens: boolean;
  /** one row per document (its sentences joined by spaces) or per sentence. Default document. */
  unit?: RowUnit;
  /** keep each token's string in `tokens` */
  tokens?: boolean;
  words?: WordSource;
}

/** Token rows of documents; rows the tokenizer leaves empty are skipped. ids: the document's, `#s` per sentence. */
export function* tokenRowsOf(docs: Iterable<Document>, tok: Tokenizer, opts: TokenRowOptions): Generator<TokenRow> {
  for (const doc of docs) {
    const texts: [string, string][] =
      opts.unit === 'sentence'
        ? doc.sentences.map((s, i) => [`${doc.id}#${i}`, s])
        : [[doc.id, doc.sentences.join(' ')]];
    for (const [id, text] of texts) {
      const enc = tok.encode(text, undefined, { addSpecialTokens: opts.addSpecialTokens });
      if (enc.ids.length === 0) continue;
      const row: TokenRow = { id, input_ids: enc.ids, word_ids: wordIdsOf(tok, enc, opts.words) };
      if (opts.tokens) row.tokens = enc.tokens;
      yield row;
    }
  }
}

/** A document row: each sentence's ids without special tokens (pair objectives add them) and its word ids. */
export function documentRowOf(doc: Document, tok: Tokenizer, words?: WordSource): DocumentExample {
  const encs = doc.sentences
    .map((s) => tok.encode(s, undefined, { addSpecialTokens: false }))
    .filter((e) => e.ids.length > 0);
  return { id: doc.id, sentences: encs.map((e) => e.ids), word_ids: encs.map((e) => wordIdsOf(tok, e, words)) };
}
