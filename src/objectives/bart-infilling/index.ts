// BART text infilling (fairseq DenoisingDataset, BART's recipe): Poisson(3.5) word spans, each replaced by one <mask>;
// the decoder rewrites the original row. Optional sentence permutation, insertion and rotation, in fairseq's order.
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import type { OptionSpec, TokenObjective, TransformContext } from '../objective.js';
import { checkProbability, resolveOptions } from '../options.js';
import { checkIds, regularIds, type VocabInfo } from '../../tokenize/vocab.js';
import {
  applySpans,
  insertNoise,
  permuteSentenceOrder,
  planSpans,
  poissonCdf,
  rollTokens,
  wordStarts,
} from './noise.js';

export {
  applySpans,
  drawSpanLengths,
  insertNoise,
  permuteSentenceOrder,
  planSpans,
  poissonCdf,
  rollTokens,
  wordStarts,
  type SpanPlan,
} from './noise.js';

export interface BartInfillingOptions {
  /** fraction of word starts whose words are masked (fairseq --mask) */
  mask: number;
  /** fraction of masks that are random ids instead (fairseq --mask-random) */
  maskRandom: number;
  poissonLambda: number;
  /** 1: one <mask> per span; 0: spans deleted; -1: every span token masked (fairseq --replace-length) */
  replaceLength: number;
  /** probability of rotating the row (fairseq --rotate) */
  rotate: number;
  /** fraction of sentences shuffled (fairseq --permute-sentences); needs fullStopId */
  permuteSentences: number;
  /** the id ending sentences for permuteSentences */
  fullStopId?: number;
  /** extra <mask> insertions as a fraction of the row length (fairseq --insert) */
  insert: number;
}

const options: readonly OptionSpec[] = [
  { key: 'mask', type: 'number', default: 0.3, help: 'fraction of words masked (fairseq --mask)' },
  { key: 'maskRandom', type: 'number', default: 0.1, help: 'fraction of masks replaced by a random non-special id' },
  {
    key: 'poissonLambda',
    type: 'number',
    default: 3.5,
    help: "mean span length in words (Poisson lambda; BART's recipe 3.5, the paper's text 3)",
  },
  {
    key: 'replaceLength',
    type: 'int',
    default: 1,
    help: '1: one <mask> per span, 0: delete spans, -1: mask every span token',
  },
  { key: 'rotate', type: 'number', default: 0, help: 'probability of rotating the row (document rotation)' },
  {
    key: 'permuteSentences',
    type: 'number',
    default: undefined,
    help: "fraction of sentences shuffled; default 1.0 (BART's recipe) when fullStopId is given, else 0: sentences are found by fullStopId",
  },
  { key: 'fullStopId', type: 'int', default: undefined, help: 'token id that ends a sentence, for permuteSentences' },
  { key: 'insert', type: 'number', default: 0, help: 'extra <mask> insertions as a fraction of the row length' },
];

/** One row: permute -> mask spans -> insert -> rotate (fairseq __getitem__ order). labels = the original row. */
function noiseRow(
  row: TokenExample,
  o: BartInfillingOptions,
  cdf: Float64Array,
  vocab: VocabInfo,
  regular: Int32Array,
  rng: Rng,
): ModelInput {
  const ids = row.input_ids;
  const maskId = vocab.maskId!;
  const eos = vocab.eosId!;
  let source = ids;
  let order: Int32Array | undefined;
  if (o.permuteSentences > 0) {
    order = permuteSentenceOrder(ids, o.fullStopId!, o.permuteSentences, rng);
    source = Int32Array.from(order, (i) => ids[i]);
  }
  if (o.mask > 0) {
    const isStart = wordStarts(source.length, row.word_ids, order);
    const plan = planSpans(isStart, o.mask, o.maskRandom, cdf, rng);
    source = applySpans(source, isStart, plan, o.replaceLength, maskId, regular, rng);
    source = insertNoise(source, plan.inserts, o.maskRandom, maskId, regular, rng);
  }
  if (o.insert > 0)
    source = insertNoise(source, Math.ceil(source.length * o.insert), o.maskRandom, maskId, regular, rng);
  if (o.rotate > 0 && rng.double() < o.rotate) source = rollTokens(source, rng);
  if (source === ids) source = ids.slice();
  const decoder = new Int32Array(ids.length);
  decoder[0] = eos;
  decoder.set(ids.subarray(0, ids.length - 1), 1);
  return {
    input_ids: source,
    attention_mask: new Uint8Array(source.length).fill(1),
    labels: ids.slice(),
    decoder_input_ids: decoder,
  };
}

function* infill(rows: Iterable<TokenExample>, o: BartInfillingOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  ensure(vocab.maskId !== undefined, 'bart-infilling: the vocabulary needs maskId');
  ensure(
    vocab.eosId !== undefined,
    'bart-infilling: the vocabulary needs eosId (the decoder start, as in fairseq and HF BART)',
  );
  const cdf = poissonCdf(o.poissonLambda);
  const regular = regularIds(vocab);
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const ids = row?.input_ids;
    ensure(ids && ids.length > 0, () => `bart-infilling: row ${index} has no tokens`);
    checkIds(ids, vocab, `bart-infilling: row ${index}`);
    ensure(
      !row.word_ids || row.word_ids.length === ids.length,
      () => `bart-infilling: row ${index} has ${ids.length} tokens but ${row.word_ids!.length} word ids`,
    );
    yield noiseRow(row, o, cdf, vocab, regular, Rng.of(ctx.seed, ctx.epoch, index, 'bart-infilling.noise'));
    index++;
  }
}

export const bartInfillingObjective: TokenObjective<BartInfillingOptions> = {
  id: 'bart-infilling',
  title: 'BART text infilling',
  summary: 'Poisson-length word spans each replaced by one <mask>; the decoder rewrites the original row',
  needs: { specials: ['maskId', 'eosId'], documents: false },
  heads: ['seq2seq'],
  // on T5ForConditionalGeneration (BartForConditionalGeneration is not built), with BART's tokenizer (<mask>)
  training: { models: { 'encoder-decoder': { tokenizer: 'bart', model: 't5', head: 'seq2seq', rows: 'chunks' } } },
  options,
  resolve(partial) {
    const id = 'bart-infilling';
    const o = resolveOptions<BartInfillingOptions>(id, options, partial);
    o.permuteSentences ??= o.fullStopId === undefined ? 0 : 1;
    for (const k of ['mask', 'maskRandom', 'rotate', 'permuteSentences', 'insert'] as const)
      checkProbability(id, k, o[k]);
    ensure(
      o.poissonLambda >= 0.1 && o.poissonLambda <= 16,
      `${id}: poissonLambda must be in [0.1, 16] (fairseq's truncated Poisson degenerates outside), got ${o.poissonLambda}`,
    );
    ensure([-1, 0, 1].includes(o.replaceLength), `${id}: replaceLength must be -1, 0 or 1, got ${o.replaceLength}`);
    ensure(
      o.permuteSentences === 0 || o.fullStopId !== undefined,
      `${id}: permuteSentences needs fullStopId (the id ending a sentence)`,
    );
    return o;
  },
  transform: infill,
};
