// SimCSE's training data as a run builds it: unsupervised, one row per sentence ([CLS] sentence [SEP], cut to
// maxLen with the [SEP] kept) that the objective doubles; supervised, (anchor, positive, hard negative) triples from
// a JSONL file the user gives, one object a line with keys anchor / positive / negative (or SimCSE's NLI csv
// columns sent0 / sent1 / hard_neg). Held-out pairs for alignment, uniformity and retrieval: a sentence and the next
// one of its document (unsupervised) or held-out triples' anchor and positive (supervised).
import type { TokenExample } from '../batch/row.js';
import { ensure, PretextError } from '../errors.js';
import type { Tokenizer } from '../tokenize/index.js';
import { segment, type TokenizedCorpus } from './tokens.js';

export interface Triple {
  anchor: string;
  positive: string;
  negative: string;
}

const KEYS: readonly (readonly [keyof Triple, string])[] = [
  ['anchor', 'sent0'],
  ['positive', 'sent1'],
  ['negative', 'hard_neg'],
];

/** JSONL text -> triples; a bad line is a one-line PretextError naming `where` and the line number. */
export function parseTriples(text: string, where: string): Triple[] {
  const out: Triple[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new PretextError(`${where} line ${i + 1}: not valid JSON`);
    }
    ensure(row !== null && typeof row === 'object' && !Array.isArray(row), `${where} line ${i + 1}: expected an object with anchor, positive and negative`);
    const t = {} as Triple;
    for (const [key, alias] of KEYS) {
      const v = row[key] ?? row[alias];
      ensure(typeof v === 'string' && v.trim() !== '', `${where} line ${i + 1}: "${key}" (or "${alias}") must be a non-empty string`);
      t[key] = v;
    }
    out.push(t);
  });
  ensure(out.length > 0, `${where}: no triples (one JSON object a line: {"anchor": ..., "positive": ..., "negative": ...})`);
  return out;
}

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

/** Triples tokenized into supervised rows (input_ids, positive_ids, negative_ids). */
export function tripleRows(triples: readonly Triple[], tokenizer: Tokenizer, cls: number, sep: number, maxLen: number): TokenExample[] {
  const ids = (text: string) => wrap(tokenizer.encode(text, undefined, { addSpecialTokens: false }).ids, cls, sep, maxLen);
  return triples.map((t) => ({ input_ids: ids(t.anchor), positive_ids: ids(t.positive), negative_ids: ids(t.negative) }));
}

/** Up to `n` held-out pairs (a sentence, the next sentence of its document), in corpus order. */
export function adjacentPairs(corpus: TokenizedCorpus, cls: number, sep: number, maxLen: number, n: number): { x: Int32Array; y: Int32Array }[] {
  const out: { x: Int32Array; y: Int32Array }[] = [];
  for (let d = 0; d + 1 < corpus.documents.length && out.length < n; d++) {
    for (let s = corpus.documents[d]; s + 1 < corpus.documents[d + 1] && out.length < n; s += 2) {
      out.push({ x: wrap(segment(corpus, s), cls, sep, maxLen), y: wrap(segment(corpus, s + 1), cls, sep, maxLen) });
    }
  }
  return out;
}
