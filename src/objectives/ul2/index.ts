// UL2 mixture of denoisers (Tay et al. 2022; T5's ul2_objective): each row draws one denoiser from the mixture
// (uniform by default), is corrupted by it — R/X: T5 span corruption with that (mean span, density), S: prefix LM —
// and its inputs start with the mode token ([NLU] for R, [NLG] for X, [S2S] for S) when their ids are given.
// The draw is keyed by (seed, epoch, row index), so a row's denoiser never depends on batching.
import { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import type { OptionSpec, TokenObjective, TransformContext } from '../objective.js';
import { resolveOptions } from '../options.js';
import { prefixRange, splitRow } from '../prefix-lm/index.js';
import { corruptRow } from '../span-corruption/index.js';
import { checkIds, type VocabInfo } from '../../tokenize/vocab.js';
import { parseDenoisers, parseRates, UL2_DENOISERS, type Denoiser, type Mode } from './denoisers.js';

export { MODE_TOKENS, parseDenoisers, UL2_DENOISERS, type Denoiser, type Mode } from './denoisers.js';

export interface Ul2Options {
  /** the mixture, e.g. 'R:3:0.15,X:64:0.5,S' (default: the paper's seven denoisers) */
  denoisers: string;
  /** comma-separated sampling weights, one per denoiser; empty: uniform */
  rates: string;
  /** mode token ids ([NLU], [NLG], [S2S]); all three or none (no mode token) */
  nluId?: number;
  nlgId?: number;
  s2sId?: number;
}

const options: readonly OptionSpec[] = [
  {
    key: 'denoisers',
    type: 'string',
    default: UL2_DENOISERS,
    help: "R:mean:density / X:mean:density span corruption, S = prefix LM (last); default the UL2 paper's seven",
  },
  {
    key: 'rates',
    type: 'string',
    default: '',
    help: 'sampling weights per denoiser, comma-separated (default uniform)',
  },
  { key: 'nluId', type: 'int', default: undefined, help: 'id of the [NLU] mode token prepended to R-denoised inputs' },
  { key: 'nlgId', type: 'int', default: undefined, help: 'id of the [NLG] mode token prepended to X-denoised inputs' },
  { key: 's2sId', type: 'int', default: undefined, help: 'id of the [S2S] mode token prepended to S-denoised inputs' },
];

interface Mixture {
  list: Denoiser[];
  cdf: Float64Array;
  modeIds: Record<Mode, number> | null;
}

function mixture(o: Ul2Options): Mixture {
  const list = parseDenoisers(o.denoisers);
  const ids = [o.nluId, o.nlgId, o.s2sId];
  const given = ids.filter((x) => x !== undefined).length;
  ensure(given === 0 || given === 3, 'ul2: give all three mode token ids (nluId, nlgId, s2sId) or none');
  return {
    list,
    cdf: parseRates(o.rates, list.length),
    modeIds: given === 3 ? { R: o.nluId!, X: o.nlgId!, S: o.s2sId! } : null,
  };
}

/** The denoiser index a row draws. */
export function drawDenoiser(cdf: Float64Array, rng: Rng): number {
  const u = rng.double();
  let k = 0;
  while (k < cdf.length - 1 && u >= cdf[k]) k++;
  return k;
}

function denoise(
  ids: Int32Array,
  d: Denoiser,
  vocab: VocabInfo,
  eos: number,
  ctx: TransformContext,
  index: number,
  arena: RowArena,
): ModelInput {
  if (d.mode === 'S') {
    ensure(ids.length >= 2, () => `ul2: row ${index} has 1 token; the S denoiser (prefix LM) needs at least 2`);
    const [lo, hi] = prefixRange(ids.length, d.noiseDensity);
    const P = Rng.of(ctx.seed, ctx.epoch, index, 'ul2.split').intBetween(lo, hi);
    return splitRow(
      ids,
      P,
      { noiseDensity: d.noiseDensity, format: 'encoder-decoder', decoderEos: true },
      eos,
      vocab.padId,
    );
  }
  const o = {
    noiseDensity: d.noiseDensity,
    meanSpanLength: d.meanSpanLength,
    randomRoll: false,
    compat: 'none' as const,
    objectiveId: 'ul2',
  };
  return corruptRow(ids, o, vocab, eos, Rng.of(ctx.seed, ctx.epoch, index, 'ul2.mask'), index, arena);
}

function withModeToken(r: ModelInput, id: number): ModelInput {
  const input = new Int32Array(r.input_ids.length + 1);
  input[0] = id;
  input.set(r.input_ids, 1);
  return { ...r, input_ids: input, attention_mask: new Uint8Array(input.length).fill(1) };
}

function* ul2(rows: Iterable<TokenExample>, o: Ul2Options, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  const eos = vocab.eosId;
  ensure(eos !== undefined, 'ul2: the vocabulary needs eosId (appended to inputs and targets)');
  const mix = mixture(o);
  if (mix.modeIds) checkIds(Object.values(mix.modeIds), vocab, 'ul2: mode token ids');
  const arena = new RowArena();
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const ids = row?.input_ids;
    ensure(ids && ids.length > 0, () => `ul2: row ${index} has no tokens`);
    checkIds(ids, vocab, `ul2: row ${index}`);
    const k = drawDenoiser(mix.cdf, Rng.of(ctx.seed, ctx.epoch, index, 'ul2.denoiser'));
    const d = mix.list[k];
    const r = denoise(ids, d, vocab, eos, ctx, index, arena);
    const out = mix.modeIds ? withModeToken(r, mix.modeIds[d.mode]) : r;
    out.denoiser = k;
    yield out;
    index++;
  }
}

export const ul2Objective: TokenObjective<Ul2Options> = {
  id: 'ul2',
  title: 'UL2 mixture of denoisers',
  summary:
    'each row drawn to one denoiser: R (short spans), X (long spans or 50% noise) span corruption, or S (prefix LM), after its mode token [NLU], [NLG] or [S2S]',
  needs: { specials: ['eosId'], documents: false },
  heads: ['seq2seq'],
  options,
  resolve(partial) {
    const o = resolveOptions<Ul2Options>('ul2', options, partial);
    mixture(o); // validates the list, the rates and the mode ids
    return o;
  },
  transform: ul2,
};
