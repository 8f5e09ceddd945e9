// Masked-LM corruption of one row (spec §1, Part A): select targets, then replace each selected token by [MASK]
// (maskReplaceProb), a random id (randomReplaceProb) or keep it. Labels: original id at selected positions, -100
// elsewhere. Draws are u32s compared with integer thresholds; no per-token allocation.
import type { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import type { Rng } from '../../rng/rng.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import type { VocabInfo } from '../../tokenize/vocab.js';
import type { MlmOptions } from './options.js';
import { scratchI32, scratchU8 } from './scratch.js';
import { buildUnits, selectUnits } from './select.js';
import { selectSpans } from './spanbert.js';
import { selectNgrams } from './albert-ngram.js';
import { checkRandomPool, checkRange, inRange, randomRegular, vocabTables, type VocabTables } from './vocab-tables.js';

const TWO_POW_32 = 4294967296;

export interface MaskedRow {
  input_ids: Int32Array;
  labels: Int32Array;
  /** selected positions, ascending (only with opts.sparse) */
  masked_positions?: Int32Array;
}

/**
 * Mask one row (ids in [0, V), else a PretextError; not mutated).
 * `wordIds` [L] (-1 = special) drive whole-word selection and SpanBERT words; required when opts.wholeWord.
 * Example (p = 1, maskReplaceProb = 1): [CLS] a b [SEP] -> input [CLS] [MASK] [MASK] [SEP], labels -100 a b -100.
 */
export function maskTokens(
  ids: Int32Array,
  opts: MlmOptions,
  vocab: VocabInfo,
  rng: Rng,
  wordIds?: Int32Array,
): MaskedRow {
  const out = maskRow(ids, opts, vocab, rng, wordIds);
  if (!out) checkRange(ids, vocab, 'mlm'); // throws
  return out!;
}

/** maskTokens with the output carved from `arena` (objectives' hot path); null when an id is outside [0, V). */
export function maskRow(
  ids: Int32Array,
  opts: MlmOptions,
  vocab: VocabInfo,
  rng: Rng,
  wordIds?: Int32Array,
  arena?: RowArena,
): MaskedRow | null {
  const t = vocabTables(vocab);
  const L = ids.length;
  if (opts.maskProb > 0) ensure(vocab.maskId !== undefined, 'the tokenizer has no [MASK] token; mlm needs one');
  if (opts.randomReplaceProb > 0 && opts.compat !== 'hf') checkRandomPool(t, 'mlm');
  const unigram = opts.randomDistribution === 'unigram';
  ensure(
    !unigram || t.unigramCdf !== null,
    "mlm: randomDistribution 'unigram' needs the vocabulary's unigramCounts (countTokens(rows, V))",
  );
  ensure(!opts.wholeWord || wordIds !== undefined, 'mlm: wholeWord needs word ids on every row (word_ids)');
  ensure(!wordIds || wordIds.length === L, () => `mlm: word_ids has length ${wordIds!.length}, input_ids has ${L}`);
  const input = arena ? arena.int32(L) : new Int32Array(L);
  const labels = arena ? arena.int32(L) : new Int32Array(L);
  const words = opts.wholeWord || opts.spanMasking !== 'none' ? wordIds : undefined;
  let count: number;
  if (opts.selection === 'bernoulli' && opts.spanMasking === 'none' && !words && !unigram) {
    count = maskBernoulli(ids, input, labels, opts, t, vocab.maskId ?? 0, rng);
    if (count < 0) return null;
  } else {
    if (!inRange(ids, t.vocabSize)) return null;
    input.set(ids);
    labels.fill(IGNORE_INDEX);
    count = maskSelected(ids, input, labels, opts, t, vocab.maskId ?? 0, words, rng);
  }
  if (!opts.sparse) return { input_ids: input, labels };
  const pos = arena ? arena.int32(count) : new Int32Array(count);
  pos.set(scratchI32(3, L).subarray(0, count)); // both paths record the selected positions, ascending
  return { input_ids: input, labels, masked_positions: pos };
}

// Fast path, one pass writing every input and label: draw x (xoshiro128** in locals, seeded by four draws of the row
// stream, as fillDraws) selects (x < p) and, given selection (x uniform on [0, p)), decides the replacement
// (x < p * maskReplaceProb -> [MASK], below p * (mask + random) -> random id, else kept). -1 on an id outside [0, V).
function maskBernoulli(
  ids: Int32Array,
  input: Int32Array,
  labels: Int32Array,
  o: MlmOptions,
  t: VocabTables,
  maskId: number,
  rng: Rng,
): number {
  const { special, regular, vocabSize } = t;
  const sel = o.maskProb * TWO_POW_32;
  const toMask = sel * o.maskReplaceProb;
  const toRandom = sel * (o.maskReplaceProb + o.randomReplaceProb);
  const anyId = o.compat === 'hf';
  const selectedAt = scratchI32(3, ids.length);
  let a = rng.nextU32() | 0;
  let b = rng.nextU32() | 0;
  let c = rng.nextU32() | 0;
  let d = rng.nextU32() | 0;
  if ((a | b | c | d) === 0) d = 1;
  input.set(ids);
  labels.fill(IGNORE_INDEX);
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id >>> 0 >= vocabSize) return -1; // also catches negative ids
    const m = Math.imul(b, 5);
    const x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const s = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= s;
    d = (d << 11) | (d >>> 21);
    if (x >= sel || special[id]) continue;
    labels[i] = id;
    selectedAt[count++] = i;
    if (x < toMask) input[i] = maskId;
    else if (x < toRandom) input[i] = anyId ? rng.int(vocabSize) : regular[rng.int(regular.length)];
  }
  return count;
}

// General path: a selection pass (units or SpanBERT spans), then replacement per token, or per span with SpanBERT.
function maskSelected(
  ids: Int32Array,
  input: Int32Array,
  labels: Int32Array,
  o: MlmOptions,
  t: VocabTables,
  maskId: number,
  wordIds: Int32Array | undefined,
  rng: Rng,
): number {
  const L = ids.length;
  const selected = scratchU8(0, L);
  if (o.spanMasking === 'spanbert') selectSpans(ids, t.special, wordIds, o.maskProb, selected, rng);
  else {
    const units = buildUnits(ids, t.special, wordIds);
    let selUnit: Uint8Array;
    if (o.spanMasking === 'albert-ngram')
      selectNgrams(units, o.maskProb, o.maxPredictions, o.maxNgram, L, (selUnit = scratchU8(1, units.n)), rng);
    else selUnit = selectUnits(units, o, L, rng);
    const { unitOf } = units;
    for (let i = 0; i < L; i++) if (unitOf[i] >= 0 && selUnit[unitOf[i]]) selected[i] = 1;
  }
  const toMask = o.maskReplaceProb * TWO_POW_32;
  const toRandom = (o.maskReplaceProb + o.randomReplaceProb) * TWO_POW_32;
  const anyId = o.compat === 'hf';
  const unigram = o.randomDistribution === 'unigram';
  const perSpan = o.spanMasking === 'spanbert';
  const { vocabSize } = t;
  const selectedAt = scratchI32(3, L);
  let count = 0;
  let r = 0;
  for (let i = 0; i < L; i++) {
    if (!selected[i]) continue;
    labels[i] = ids[i];
    selectedAt[count++] = i;
    if (!perSpan || i === 0 || !selected[i - 1]) r = rng.nextU32(); // a span = a maximal run of selected tokens
    if (r < toMask) input[i] = maskId;
    else if (r < toRandom) input[i] = anyId ? rng.int(vocabSize) : randomRegular(t, unigram, rng);
  }
  return count;
}
