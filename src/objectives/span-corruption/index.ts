// T5 span corruption (spec §5.1-5.4): noise spans become sentinels in the inputs; targets list each sentinel
// followed by the span it hides. Span k uses id V - 1 - k in both (T5's <extra_id_k>); EOS ends both.
import { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import type { OptionSpec, TokenObjective, TransformContext } from '../objective.js';
import { checkProbability, resolveOptions } from '../options.js';
import { checkIds, type VocabInfo } from '../../tokenize/vocab.js';
import { computeInputAndTargetLengths } from './lengths.js';
import { drawSpans, fillNoiseMask, noiseCounts } from './noise-mask.js';

export { computeInputAndTargetLengths, encodedLengths } from './lengths.js';
export { drawSpans, noiseCounts, randomSpansNoiseMask } from './noise-mask.js';

export interface SpanCorruptionOptions {
  noiseDensity: number;
  meanSpanLength: number;
  /** when set, every row must have the raw length computed from it (568 for 512) */
  inputsLength?: number;
  /** rotate the mask by a uniform offset (T5 random_roll); off keeps T5's default */
  randomRoll: boolean;
  /** length search: 'none' = T5 (start at inputsLength - 1), 'hf' = run_t5_mlm_flax (start at inputsLength) */
  compat: 'none' | 'hf';
  /** names the objective in error messages when another objective (UL2) corrupts rows */
  objectiveId?: string;
}

const options: readonly OptionSpec[] = [
  {
    key: 'noiseDensity',
    type: 'number',
    default: 0.15,
    help: 'share of tokens hidden in noise spans (T5 noise_density)',
  },
  { key: 'meanSpanLength', type: 'number', default: 3, help: 'mean noise span length (T5 mean_noise_span_length)' },
  {
    key: 'inputsLength',
    type: 'int',
    default: undefined,
    help: 'encoder length; rows must then have the raw length T5 computes from it (512 -> 568)',
  },
  {
    key: 'randomRoll',
    type: 'boolean',
    default: false,
    help: 'rotate each noise mask by a random offset (T5 random_roll)',
  },
  {
    key: 'compat',
    type: 'string',
    default: 'none',
    choices: ['none', 'hf'],
    help: 'hf: raw-length search as run_t5_mlm_flax (starts at inputsLength)',
  },
];

// Reused mask buffer: rows are processed one at a time.
let maskBuf = new Uint8Array(1024);

/** Output arrays for a row with `kept` input tokens, `noise` target tokens and `spans` sentinels. */
function allocate(kept: number, noise: number, spans: number, arena: RowArena) {
  const input = arena.int32(kept + spans + 1);
  const labels = arena.int32(noise + spans + 1);
  return { input, labels, decoder: arena.int32(labels.length), mask: arena.uint8(input.length).fill(1) };
}

/** The corrupted row from T5's span layout (no roll, L >= 2): kept run, sentinel, noise run, ... Returns [min, max] id. */
function fromSpans(
  ids: Int32Array,
  keep: Int32Array,
  noise: Int32Array,
  spans: number,
  V: number,
  input: Int32Array,
  labels: Int32Array,
): [number, number] {
  let a = 0;
  let b = 0;
  let p = 0;
  let sentinel = V;
  let lo = 0;
  let hi = 0;
  for (let s = 0; s < spans; s++) {
    const k = keep[s];
    // an empty kept part (more spans than kept tokens) merges two noise spans, as in T5's mask
    if (k > 0 || s === 0) {
      for (const end = p + k; p < end; p++) {
        const t = ids[p];
        if (t < lo) lo = t;
        if (t > hi) hi = t;
        input[a++] = t;
      }
      input[a++] = --sentinel;
      labels[b++] = sentinel;
    }
    for (const end = p + noise[s]; p < end; p++) {
      const t = ids[p];
      if (t < lo) lo = t;
      if (t > hi) hi = t;
      labels[b++] = t;
    }
  }
  return [lo, hi];
}

/** The corrupted row from a noise mask (randomRoll, density 0, length 1). Returns [min, max] id. */
function fromMask(
  ids: Int32Array,
  mask: Uint8Array,
  V: number,
  input: Int32Array,
  labels: Int32Array,
): [number, number] {
  let a = 0;
  let b = 0;
  let sentinel = V;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i];
    if (t < lo) lo = t;
    if (t > hi) hi = t;
    if (mask[i]) {
      if (i === 0 || !mask[i - 1]) {
        input[a++] = --sentinel;
        labels[b++] = sentinel;
      }
      labels[b++] = t;
    } else input[a++] = t;
  }
  return [lo, hi];
}

/**
 * One row -> input_ids [keep + spans + 1], labels [noise + spans + 1], decoder_input_ids = labels shifted right
 * after the pad id (T5's decoder start), attention_mask all 1. Ids are validated on the way.
 */
export function corruptRow(
  ids: Int32Array,
  o: SpanCorruptionOptions,
  vocab: VocabInfo,
  eos: number,
  rng: Rng,
  index: number,
  arena: RowArena,
): ModelInput {
  const L = ids.length;
  const V = vocab.vocabSize;
  let out: ReturnType<typeof allocate>;
  let range: [number, number];
  let spans: number;
  if (!o.randomRoll && L >= 2 && o.noiseDensity > 0) {
    const d = drawSpans(L, o.noiseDensity, o.meanSpanLength, rng);
    const { noise } = noiseCounts(L, o.noiseDensity, o.meanSpanLength);
    spans = Math.min(d.spans, L - noise);
    out = allocate(L - noise, noise, spans, arena);
    range = fromSpans(ids, d.keep, d.noise, d.spans, V, out.input, out.labels);
  } else {
    if (maskBuf.length < L) maskBuf = new Uint8Array(L * 2);
    const mask = maskBuf;
    fillNoiseMask(mask, L, o.noiseDensity, o.meanSpanLength, rng, o.randomRoll);
    let noise = 0;
    spans = 0;
    for (let i = 0; i < L; i++) {
      noise += mask[i];
      if (mask[i] && (i === 0 || !mask[i - 1])) spans++;
    }
    out = allocate(L - noise, noise, spans, arena);
    range = fromMask(ids, mask, V, out.input, out.labels);
  }
  if (range[0] < 0 || range[1] >= V) checkIds(ids, vocab, `${o.objectiveId ?? 'span-corruption'}: row ${index}`);
  const lowest = V - spans;
  ensure(
    lowest > eos && lowest > vocab.padId,
    () =>
      `span-corruption: ${spans} sentinels (ids ${lowest}..${V - 1}) must lie above EOS ${eos} and pad ${vocab.padId}`,
  );
  ensure(
    range[1] < lowest,
    () =>
      `span-corruption: row ${index} contains id ${range[1]}, one of the sentinel ids ${lowest}..${V - 1} (span k uses V - 1 - k)`,
  );
  const { input, labels, decoder } = out;
  input[input.length - 1] = eos;
  labels[labels.length - 1] = eos;
  decoder[0] = vocab.padId;
  for (let i = 1; i < decoder.length; i++) decoder[i] = labels[i - 1];
  return { input_ids: input, attention_mask: out.mask, labels, decoder_input_ids: decoder };
}

function* spanCorrupt(
  rows: Iterable<TokenExample>,
  o: SpanCorruptionOptions,
  ctx: TransformContext,
): Generator<ModelInput> {
  const { vocab } = ctx;
  const eos = vocab.eosId;
  ensure(eos !== undefined, 'span-corruption: the vocabulary needs eosId (appended to inputs and targets)');
  const raw =
    o.inputsLength === undefined
      ? -1
      : computeInputAndTargetLengths(o.inputsLength, o.noiseDensity, o.meanSpanLength, o.compat === 'hf' ? 'hf' : 't5')
          .rawLength;
  const arena = new RowArena();
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const ids = row?.input_ids;
    ensure(ids && ids.length > 0, () => `span-corruption: row ${index} has no tokens`);
    ensure(
      raw < 0 || ids.length === raw,
      () =>
        `span-corruption: row ${index} has ${ids.length} tokens; inputsLength ${o.inputsLength} needs rows of exactly ${raw} (the raw length)`,
    );
    yield corruptRow(ids, o, vocab, eos, Rng.of(ctx.seed, ctx.epoch, index, 'span-corruption.mask'), index, arena);
    index++;
  }
}

export const spanCorruptionObjective: TokenObjective<SpanCorruptionOptions> = {
  id: 'span-corruption',
  title: 'T5 span corruption',
  summary: 'noise spans replaced by sentinels; the decoder writes each sentinel and the span it hides',
  needs: { specials: ['eosId'], documents: false },
  heads: ['seq2seq'],
  // T5ForConditionalGeneration; rows of seqLen - 1 raw tokens keep the encoder input (kept + sentinels + EOS) within seqLen
  training: {
    models: { 'encoder-decoder': { tokenizer: 't5', model: 't5', head: 'seq2seq', rows: 'chunks', reserve: 1 } },
  },
  options,
  resolve(partial) {
    const o = resolveOptions<SpanCorruptionOptions>('span-corruption', options, partial);
    checkProbability('span-corruption', 'noiseDensity', o.noiseDensity);
    ensure(o.meanSpanLength >= 1, `span-corruption: meanSpanLength must be >= 1, got ${o.meanSpanLength}`);
    if (o.inputsLength !== undefined)
      computeInputAndTargetLengths(o.inputsLength, o.noiseDensity, o.meanSpanLength, o.compat === 'hf' ? 'hf' : 't5');
    return o;
  },
  transform: spanCorrupt,
};
