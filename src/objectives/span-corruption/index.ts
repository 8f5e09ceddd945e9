// T5 span corruption (spec §5.1-5.4): noise spans become sentinels in the inputs; targets list each sentinel
// followed by the span it hides. Span k uses id V - 1 - k in both (T5's <extra_id_k>); EOS ends both.
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import type { ModelInput, OptionSpec, TokenExample, TokenObjective, TransformContext } from '../objective.js';
import { checkProbability, resolveOptions } from '../options.js';
import { checkIds, type VocabInfo } from '../vocab.js';
import { computeInputAndTargetLengths } from './lengths.js';
import { fillNoiseMask } from './noise-mask.js';

export { computeInputAndTargetLengths, encodedLengths } from './lengths.js';
export { noiseCounts, randomSpansNoiseMask } from './noise-mask.js';

export interface SpanCorruptionOptions {
  noiseDensity: number;
  meanNoiseSpanLength: number;
  /** when set, every row must have the raw length computed from it (568 for 512) */
  inputsLength?: number;
  /** rotate the mask by a uniform offset (T5 random_roll); off keeps T5's default */
  randomRoll: boolean;
  /** length search: 'none' = T5 (start at inputsLength - 1), 'hf' = run_t5_mlm_flax (start at inputsLength) */
  compat: 'none' | 'hf';
}

const options: readonly OptionSpec[] = [
  { key: 'noiseDensity', type: 'number', default: 0.15, help: 'share of tokens hidden in noise spans (T5 noise_density)' },
  { key: 'meanNoiseSpanLength', type: 'number', default: 3, help: 'mean noise span length (T5 mean_noise_span_length)' },
  { key: 'inputsLength', type: 'int', default: undefined, help: 'encoder length; rows must then have the raw length T5 computes from it (512 -> 568)' },
  { key: 'randomRoll', type: 'boolean', default: false, help: 'rotate each noise mask by a random offset (T5 random_roll)' },
  { key: 'compat', type: 'string', default: 'none', choices: ['none', 'hf'], help: 'hf: raw-length search as run_t5_mlm_flax (starts at inputsLength)' },
];

// Reused mask buffer: rows are processed one at a time.
let maskBuf = new Uint8Array(1024);

/**
 * One row -> input_ids [keep + spans + 1], labels [noise + spans + 1], decoder_input_ids = labels shifted right
 * after the pad id (T5's decoder start), attention_mask all 1.
 */
function corruptRow(ids: Int32Array, o: SpanCorruptionOptions, vocab: VocabInfo, eos: number, rng: Rng, index: number): ModelInput {
  const L = ids.length;
  const V = vocab.vocabSize;
  if (maskBuf.length < L) maskBuf = new Uint8Array(L * 2);
  const mask = maskBuf;
  fillNoiseMask(mask, L, o.noiseDensity, o.meanNoiseSpanLength, rng, o.randomRoll);
  let spans = 0;
  let noise = 0;
  let maxId = 0;
  for (let i = 0; i < L; i++) {
    const id = ids[i];
    if (id > maxId) maxId = id;
    if (mask[i]) {
      noise++;
      if (i === 0 || !mask[i - 1]) spans++;
    }
  }
  const lowest = V - spans;
  ensure(lowest >= 0 && (eos < lowest) && (vocab.padId < lowest), () => `span-corruption: ${spans} sentinels (ids ${lowest}..${V - 1}) do not fit below the vocabulary top without hitting EOS ${eos} or pad ${vocab.padId}`);
  ensure(maxId < lowest, () => `span-corruption: row ${index} contains id ${maxId}, one of the sentinel ids ${lowest}..${V - 1} (span k uses V - 1 - k)`);
  const input = new Int32Array(L - noise + spans + 1);
  const labels = new Int32Array(noise + spans + 1);
  let a = 0;
  let b = 0;
  let sentinel = V;
  for (let i = 0; i < L; i++) {
    if (mask[i]) {
      if (i === 0 || !mask[i - 1]) {
        sentinel--;
        input[a++] = sentinel;
        labels[b++] = sentinel;
      }
      labels[b++] = ids[i];
    } else input[a++] = ids[i];
  }
  input[a] = eos;
  labels[b] = eos;
  const decoder = new Int32Array(labels.length);
  decoder[0] = vocab.padId;
  decoder.set(labels.subarray(0, labels.length - 1), 1);
  return { input_ids: input, attention_mask: new Uint8Array(input.length).fill(1), labels, decoder_input_ids: decoder };
}

function* spanCorrupt(rows: Iterable<TokenExample>, o: SpanCorruptionOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  const eos = vocab.eosId;
  ensure(eos !== undefined, 'span-corruption: the vocabulary needs eosId (appended to inputs and targets)');
  const raw = o.inputsLength === undefined ? -1 : computeInputAndTargetLengths(o.inputsLength, o.noiseDensity, o.meanNoiseSpanLength, o.compat === 'hf' ? 'hf' : 't5').rawLength;
  const V = vocab.vocabSize;
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const ids = row?.input_ids;
    ensure(ids && ids.length > 0, () => `span-corruption: row ${index} has no tokens`);
    ensure(raw < 0 || ids.length === raw, () => `span-corruption: row ${index} has ${ids.length} tokens; inputsLength ${o.inputsLength} needs rows of exactly ${raw} (the raw length)`);
    for (let i = 0; i < ids.length; i++) if (!(ids[i] >= 0 && ids[i] < V)) checkIds(ids, vocab, `span-corruption: row ${index}`);
    yield corruptRow(ids, o, vocab, eos, Rng.of(ctx.seed, ctx.epoch, index, 'span-corruption.mask'), index);
    index++;
  }
}

export const spanCorruptionObjective: TokenObjective<SpanCorruptionOptions> = {
  id: 'span-corruption',
  title: 'T5 span corruption',
  summary: 'noise spans replaced by sentinels; the decoder writes each sentinel and the span it hides',
  needs: { specials: ['eosId'], documents: false },
  heads: ['seq2seq'],
  options,
  resolve(partial) {
    const o = resolveOptions<SpanCorruptionOptions>('span-corruption', options, partial);
    checkProbability('span-corruption', 'noiseDensity', o.noiseDensity);
    ensure(o.meanNoiseSpanLength >= 1, `span-corruption: meanNoiseSpanLength must be >= 1, got ${o.meanNoiseSpanLength}`);
    if (o.inputsLength !== undefined) computeInputAndTargetLengths(o.inputsLength, o.noiseDensity, o.meanNoiseSpanLength, o.compat === 'hf' ? 'hf' : 't5');
    return o;
  },
  transform: spanCorrupt,
};
