// Test fixtures shared by the NSP and SOP tests: a small vocabulary and synthetic corpora built from a seeded Rng.
import { Rng } from '../../rng/rng.js';
import type { DocumentExample, ModelInput } from '../../batch/row.js';
import { normalizeVocab, type VocabInfo } from '../../tokenize/vocab.js';

export const pairVocab: VocabInfo = normalizeVocab({
  vocabSize: 1000,
  padId: 0,
  unkId: 1,
  clsId: 2,
  sepId: 3,
  maskId: 4,
  specialIds: [],
});

/** `nDocs` documents; sentence lengths uniform in [minLen, maxLen]; ids uniform in [10, 1000). */
export function corpus(
  nDocs: number,
  sentsPerDoc: number,
  minLen: number,
  maxLen: number,
  seed = 1,
): DocumentExample[] {
  const rng = Rng.of(seed, 0, 0, 'fixture');
  return Array.from({ length: nDocs }, (_, d) => ({
    id: `doc${d}`,
    sentences: Array.from({ length: sentsPerDoc }, () =>
      Int32Array.from({ length: rng.intBetween(minLen, maxLen) }, () => 10 + rng.int(990)),
    ),
  }));
}

/** Tokens of segment A and B (between the specials) of an unmasked pair. */
export function segments(r: ModelInput): [number[], number[]] {
  const ids = Array.from(r.input_ids);
  const sep = ids.indexOf(3);
  return [ids.slice(1, sep), ids.slice(sep + 1, ids.length - 1)];
}

/** The tokens of sentences [start, end) of a document, concatenated. */
export function sentenceTokens(docs: DocumentExample[], src: { doc: number; start: number; end: number }): number[] {
  return docs[src.doc].sentences.slice(src.start, src.end).flatMap((s) => Array.from(s));
}

/** True when `part` is a contiguous run of `whole`. */
export function isRun(part: number[], whole: number[]): boolean {
  outer: for (let i = 0; i + part.length <= whole.length; i++) {
    for (let j = 0; j < part.length; j++) if (whole[i + j] !== part[j]) continue outer;
    return true;
  }
  return false;
}
