// Train/validation split by document id: each document decides alone from a hash, so the split streams, needs no
// corpus size, and a document keeps its side when others are added or removed.
import { ensure } from '../errors.js';
import { Rng, hashString } from '../rng/rng.js';
import type { Document, Source } from './document.js';

export type Split = 'train' | 'validation';

export interface SplitOptions {
  seed: number;
  /** Expected share of documents in validation, in [0, 1]. */
  validationFraction: number;
}

/** Which side `docId` falls on: validation with probability `validationFraction`, fixed by (seed, id). */
export function splitOf(docId: string, opts: SplitOptions): Split {
  const f = opts.validationFraction;
  ensure(f >= 0 && f <= 1, () => `validationFraction must be in [0, 1], got ${f}`);
  ensure(
    Number.isSafeInteger(opts.seed) && opts.seed >= 0,
    () => `seed must be a non-negative integer, got ${opts.seed}`,
  );
  const rng = Rng.fromKey({ seed: opts.seed, purpose: 'split', index: hashString(docId) });
  return rng.double() < f ? 'validation' : 'train';
}

/** The documents of one side, streaming. */
export async function* documentsOfSplit(
  docs: Source<Document>,
  split: Split,
  opts: SplitOptions,
): AsyncGenerator<Document> {
  for await (const doc of docs) if (splitOf(doc.id, opts) === split) yield doc;
}
