// Documents -> token ids in flat typed arrays, tokenized once per run: segments (sentences, or whole documents) of
// ids without special tokens, grouped by document. ~4 bytes a token; Brown is about 1.4M tokens.
import type { Document } from '../corpus/document.js';
import { splitOf, type SplitOptions } from '../corpus/split.js';
import type { Tokenizer } from '../tokenize/index.js';

/** What one tokenizer call sees: a sentence (kept apart for sentence packing) or a document joined by spaces. */
export type TextUnit = 'sentence' | 'document';

export interface TokenizedCorpus {
  /** every segment's ids, concatenated */
  ids: Int32Array;
  /** [S + 1] start of segment s in ids */
  segments: Int32Array;
  /** [D + 1] first segment of document d */
  documents: Int32Array;
  /** the word each id belongs to, numbered across the whole corpus (so no two segments share one): whole-word masking */
  words?: Int32Array;
}

/** A growable Int32Array. */
class Int32List {
  data = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  append(a: ArrayLike<number>): void {
    if (this.length + a.length > this.data.length) this.grow(this.length + a.length);
    this.data.set(a as Int32Array, this.length);
    this.length += a.length;
  }

  private grow(min: number): void {
    const next = new Int32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Adds documents one at a time (a corpus streams through); empty segments and documents are skipped. */
export class CorpusTokenizer {
  private readonly ids = new Int32List();
  private readonly segments = new Int32List();
  private readonly documents = new Int32List();
  private readonly words = new Int32List();
  private nextWord = 0;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly unit: TextUnit,
  ) {
    this.segments.push(0);
    this.documents.push(0);
  }

  add(doc: Document): void {
    const texts = this.unit === 'sentence' ? doc.sentences : [doc.sentences.join(' ')];
    const before = this.segments.length;
    for (const text of texts) {
      const { ids, wordIds } = this.tokenizer.encode(text, undefined, { addSpecialTokens: false });
      if (ids.length === 0) continue;
      this.ids.append(ids);
      let top = -1;
      for (let i = 0; i < wordIds.length; i++) {
        this.words.push(this.nextWord + Math.max(wordIds[i], 0));
        top = Math.max(top, wordIds[i]);
      }
      this.nextWord += top + 1;
      this.segments.push(this.ids.length);
    }
    if (this.segments.length > before) this.documents.push(this.segments.length - 1);
  }

  finish(): TokenizedCorpus {
    return {
      ids: this.ids.finish(),
      segments: this.segments.finish(),
      documents: this.documents.finish(),
      words: this.words.finish(),
    };
  }
}

/** Tokenize an in-memory list of documents. */
export function tokenizeDocuments(docs: Iterable<Document>, tokenizer: Tokenizer, unit: TextUnit): TokenizedCorpus {
  const t = new CorpusTokenizer(tokenizer, unit);
  for (const d of docs) t.add(d);
  return t.finish();
}

/** Tokens in the corpus. */
export const tokenCount = (c: TokenizedCorpus): number => c.ids.length;

/** The ids of segment s. */
export const segment = (c: TokenizedCorpus, s: number): Int32Array => c.ids.subarray(c.segments[s], c.segments[s + 1]);

/** Tokenize documents into the train and validation sides of the seeded split by document id (corpus/split.ts). */
export function tokenizeSplit(
  docs: Iterable<Document>,
  tokenizer: Tokenizer,
  unit: TextUnit,
  split: SplitOptions,
): { train: TokenizedCorpus; validation: TokenizedCorpus } {
  const sides = { train: new CorpusTokenizer(tokenizer, unit), validation: new CorpusTokenizer(tokenizer, unit) };
  for (const d of docs) sides[splitOf(d.id, split)].add(d);
  return { train: sides.train.finish(), validation: sides.validation.finish() };
}
