// BERT's instance builder (google-research/bert create_pretraining_data.py, spec §3.1), shared by NSP and SOP:
// accumulate whole sentences up to a target length, split the chunk into A and B, truncate the pair.
import type { Rng } from '../../rng/rng.js';
import type { PairDoc } from './corpus.js';

/** Tokens [offset, offset + length) of the concatenation of sentences [start, end) of `doc` (compact indices). */
export interface Segment {
  doc: number;
  start: number;
  end: number;
  offset: number;
  length: number;
}

/** What a chunk became: segments A and B, the label, and how many chunk sentences go back to the document. */
export interface PairDraw {
  a: Segment;
  b: Segment;
  label: number;
  putBack: number;
}

/** Turns chunk [start, end) of document d into a pair, or null to skip it. `target` is the document's target length. */
export type DrawPair = (d: number, start: number, end: number, target: number) => PairDraw | null;

/** max_num_tokens, or with probability shortSeqProb randint(2, max_num_tokens); drawn once per document, as BERT. */
export function targetLength(maxNumTokens: number, shortSeqProb: number, rng: Rng): number {
  return rng.double() < shortSeqProb ? rng.intBetween(2, maxNumTokens) : maxNumTokens;
}

/** Whole sentences [start, end) of document `doc`. */
export function sentences(docs: readonly PairDoc[], doc: number, start: number, end: number): Segment {
  let length = 0;
  const s = docs[doc].sents;
  for (let k = start; k < end; k++) length += s[k].length;
  return { doc, start, end, offset: 0, length };
}

/** Sentence s cut at a uniform token boundary into two non-empty parts; null when it has fewer than 2 tokens. */
export function splitSentence(docs: readonly PairDoc[], doc: number, s: number, rng: Rng): [Segment, Segment] | null {
  const n = docs[doc].sents[s].length;
  if (n < 2) return null;
  const cut = rng.intBetween(1, n - 1);
  return [
    { doc, start: s, end: s + 1, offset: 0, length: cut },
    { doc, start: s, end: s + 1, offset: cut, length: n - cut },
  ];
}

/** A random B: from a uniform start sentence of `doc`, whole sentences until at least `targetB` tokens (>= 1 sentence). */
export function randomSegment(docs: readonly PairDoc[], doc: number, targetB: number, rng: Rng): Segment {
  const s = docs[doc].sents;
  const start = rng.int(s.length);
  let end = start;
  let length = 0;
  while (end < s.length) {
    length += s[end++].length;
    if (length >= targetB) break;
  }
  return { doc, start, end, offset: 0, length };
}

/** A document other than d, uniform (same law as retrying until different). Needs >= 2 documents. */
export function otherDocument(nDocs: number, d: number, rng: Rng): number {
  const r = rng.int(nDocs - 1);
  return r >= d ? r + 1 : r;
}

/** BERT's choice: up to 10 uniform tries to avoid d; may end on d itself (NVIDIA/DeepLearningExamples#421). */
export function bertRandomDocument(nDocs: number, d: number, rng: Rng): number {
  let r = d;
  for (let t = 0; t < 10; t++) {
    r = rng.int(nDocs);
    if (r !== d) break;
  }
  return r;
}

/** truncate_seq_pair: while too long, drop one token from the longer side (B on ties), front or back with p = 1/2. */
export function truncatePair(a: Segment, b: Segment, maxNumTokens: number, rng: Rng): void {
  while (a.length + b.length > maxNumTokens) {
    const t = a.length > b.length ? a : b;
    if (rng.double() < 0.5) t.offset++;
    t.length--;
  }
}

/**
 * BERT's walk over one document: sentences accumulate until the chunk reaches the target length or the document
 * ends; `draw` makes the pair; put-back sentences are walked again (the cursor rewinds). Pairs come out truncated.
 */
export function* walkDocument(
  docs: readonly PairDoc[],
  d: number,
  maxNumTokens: number,
  shortSeqProb: number,
  rng: Rng,
  draw: DrawPair,
): Generator<PairDraw> {
  const s = docs[d].sents;
  const target = targetLength(maxNumTokens, shortSeqProb, rng);
  let chunkStart = 0;
  let chunkLength = 0;
  for (let i = 0; i < s.length; i++) {
    chunkLength += s[i].length;
    if (i < s.length - 1 && chunkLength < target) continue;
    const pair = draw(d, chunkStart, i + 1, target);
    if (pair) {
      i -= pair.putBack;
      truncatePair(pair.a, pair.b, maxNumTokens, rng);
      yield pair;
    }
    chunkStart = i + 1;
    chunkLength = 0;
  }
}
