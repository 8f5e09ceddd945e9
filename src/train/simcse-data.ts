// SimCSE's training rows: unsupervised, one row per sentence ([CLS] sentence [SEP], cut to maxLen with the [SEP]
// kept) that the objective doubles; supervised, (anchor, positive, hard negative) triples from a JSONL file the user
// gives, one object a line with keys anchor / positive / negative (or SimCSE's NLI csv columns sent0 / sent1 /
// hard_neg). Each triple enters the run as a three-sentence document, so the tokenizer, the seeded split by id and
// the tokenized corpus are the ones every run uses; its rows are then read back three segments at a time.
import type { TokenExample } from '../batch/row.js';
import type { Document } from '../corpus/document.js';
import { ensure, PretextError } from '../errors.js';
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

/** Triples as documents of three sentences, id `source:line index` (the split keys on it). */
export function triplesAsDocuments(triples: readonly Triple[], source: string): Document[] {
  return triples.map((t, i) => ({ id: `${source}:${i}`, sentences: [t.anchor, t.positive, t.negative], meta: {} }));
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

/** One supervised row per three-sentence document (triplesAsDocuments): input_ids, positive_ids, negative_ids. */
export function tripleRows(corpus: TokenizedCorpus, cls: number, sep: number, maxLen: number): TokenExample[] {
  const out: TokenExample[] = [];
  for (let d = 0; d + 1 < corpus.documents.length; d++) {
    const first = corpus.documents[d];
    const n = corpus.documents[d + 1] - first;
    ensure(n === 3, `simcse: supervised rows are (anchor, positive, negative) triples; document ${d} has ${n} sentences (train supervised SimCSE from --pairs FILE.jsonl)`);
    const [input_ids, positive_ids, negative_ids] = [0, 1, 2].map((k) => wrap(segment(corpus, first + k), cls, sep, maxLen));
    out.push({ input_ids, positive_ids, negative_ids });
  }
  return out;
}
