// Triples for supervised SimCSE: a JSONL file the user gives, one object a line with keys anchor / positive /
// negative (or SimCSE's NLI csv columns sent0 / sent1 / hard_neg). Each triple enters a run as a three-sentence
// document, so the tokenizer, the seeded split by id and the tokenized corpus are the ones every run uses.
import { ensure, PretextError } from '../errors.js';
import type { Document } from './document.js';

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
    ensure(
      row !== null && typeof row === 'object' && !Array.isArray(row),
      `${where} line ${i + 1}: expected an object with anchor, positive and negative`,
    );
    const t = {} as Triple;
    for (const [key, alias] of KEYS) {
      const v = row[key] ?? row[alias];
      ensure(
        typeof v === 'string' && v.trim() !== '',
        `${where} line ${i + 1}: "${key}" (or "${alias}") must be a non-empty string`,
      );
      t[key] = v;
    }
    out.push(t);
  });
  ensure(
    out.length > 0,
    `${where}: no triples (one JSON object a line: {"anchor": ..., "positive": ..., "negative": ...})`,
  );
  return out;
}

/** Triples as documents of three sentences, id `source:line index` (the split keys on it). */
export function triplesAsDocuments(triples: readonly Triple[], source: string): Document[] {
  return triples.map((t, i) => ({ id: `${source}:${i}`, sentences: [t.anchor, t.positive, t.negative], meta: {} }));
}
