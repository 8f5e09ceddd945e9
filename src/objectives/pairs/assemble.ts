// [CLS] A [SEP] B [SEP] with segment ids, attention mask, MLM on the pair and the sentence ranges it came from.
import type { RowArena } from '../../batch/arena.js';
import type { Rng } from '../../rng/rng.js';
import { maskRow } from '../mlm/mask.js';
import type { MlmOptions } from '../mlm/options.js';
import type { ModelInput, PairSource } from '../../batch/row.js';
import type { VocabInfo } from '../../tokenize/vocab.js';
import type { Segment } from './chunk.js';
import type { PairDoc } from './corpus.js';

/** Copies segment `g` into out[pos..]; returns the position after it. */
function copySegment(docs: readonly PairDoc[], g: Segment, out: Int32Array, pos: number): number {
  const s = docs[g.doc].sents;
  let skip = g.offset;
  let left = g.length;
  for (let k = g.start; left > 0; k++) {
    const t = s[k];
    if (skip >= t.length) {
      skip -= t.length;
      continue;
    }
    const n = Math.min(t.length - skip, left);
    for (let j = 0; j < n; j++) out[pos + j] = t[skip + j];
    pos += n;
    left -= n;
    skip = 0;
  }
  return pos;
}

/**
 * Word ids of segment `g` into out[pos..]: sentence word ids shifted by a running base so words of different
 * sentences never share an id (-1 stays -1). Returns [next position, next base].
 */
function copyWords(docs: readonly PairDoc[], g: Segment, out: Int32Array, pos: number, base: number): [number, number] {
  const s = docs[g.doc].sents;
  const w = docs[g.doc].words!;
  let skip = g.offset;
  let left = g.length;
  for (let k = g.start; left > 0; k++) {
    const t = w[k];
    let top = -1;
    for (let j = 0; j < t.length; j++) if (t[j] > top) top = t[j];
    if (skip >= s[k].length) {
      skip -= s[k].length;
      base += top + 1;
      continue;
    }
    const n = Math.min(t.length - skip, left);
    for (let j = 0; j < n; j++) out[pos + j] = t[skip + j] < 0 ? -1 : t[skip + j] + base;
    pos += n;
    left -= n;
    skip = 0;
    base += top + 1;
  }
  return [pos, base];
}

/** Word ids [L] of [CLS] A [SEP] B [SEP] (-1 on the specials), or undefined when the documents carry none. */
function pairWords(docs: readonly PairDoc[], a: Segment, b: Segment, L: number): Int32Array | undefined {
  if (!docs[a.doc].words || !docs[b.doc].words) return undefined;
  const out = new Int32Array(L).fill(-1);
  const [pos, base] = copyWords(docs, a, out, 1, 0);
  copyWords(docs, b, out, pos + 1, base);
  return out;
}

/** The segment's sentence range in the caller's numbering. */
function sourceOf(docs: readonly PairDoc[], g: Segment): { doc: number; start: number; end: number } {
  const orig = docs[g.doc].orig;
  return { doc: g.doc, start: orig[g.start], end: orig[g.end - 1] + 1 };
}

/** clsId and sepId of a vocabulary (checked by the objective before use). */
export interface PairIds {
  clsId: number;
  sepId: number;
}

/**
 * input_ids [L] = [CLS] A [SEP] B [SEP], token_type_ids 0 on CLS+A+SEP and 1 on B+SEP, attention_mask all 1,
 * labels [L] from MLM when `mlm` is given (else no labels), source. Arrays are carved from `arena`.
 */
export function assemblePair(
  docs: readonly PairDoc[],
  a: Segment,
  b: Segment,
  ids: PairIds,
  vocab: VocabInfo,
  mlm: MlmOptions | null,
  rng: Rng,
  arena: RowArena,
): ModelInput {
  const L = a.length + b.length + 3;
  const input = arena.int32(L);
  const types = arena.int32(L);
  input[0] = ids.clsId;
  let pos = copySegment(docs, a, input, 1);
  input[pos++] = ids.sepId;
  types.fill(1, pos);
  pos = copySegment(docs, b, input, pos);
  input[pos] = ids.sepId;
  const source: PairSource = { a: sourceOf(docs, a), b: sourceOf(docs, b) };
  const out: ModelInput = { input_ids: input, token_type_ids: types, attention_mask: arena.uint8(L).fill(1), source };
  if (mlm) {
    // ids were range-checked by prepareCorpus, so maskRow cannot return null here
    const m = maskRow(
      input,
      mlm,
      vocab,
      rng,
      mlm.wholeWord || mlm.spanMasking !== 'none' ? pairWords(docs, a, b, L) : undefined,
      arena,
    )!;
    out.input_ids = m.input_ids;
    out.labels = m.labels;
    if (m.masked_positions) out.masked_positions = m.masked_positions;
  }
  return out;
}
