// Prefix LM (T5 prefix_lm / UL2 S-denoiser, spec §5.5): a row split at a uniform point; the prefix is context,
// the rest is predicted. Prefix length uniform in [max(1, round((1 - 2d)(L - 1))), L - 1] (T5 random_prefix_noise_mask).
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { IGNORE_INDEX, type ModelInput, type OptionSpec, type TokenExample, type TokenObjective, type TransformContext } from '../objective.js';
import { resolveOptions } from '../options.js';
import { roundHalfEven } from '../round.js';
import { checkIds } from '../vocab.js';

export interface PrefixLmOptions {
  /** share of the row that may be target: 0.5 allows any split */
  noiseDensity: number;
  /** 'encoder-decoder': input_ids = prefix + EOS, labels = rest + EOS; 'decoder': one row, labels -100 on the prefix */
  format: 'encoder-decoder' | 'decoder';
}

const options: readonly OptionSpec[] = [
  { key: 'noiseDensity', type: 'number', default: 0.5, help: 'at most this share of the row is target (<= 0.5; 0.5 = any split point)' },
  { key: 'format', type: 'string', default: 'encoder-decoder', choices: ['encoder-decoder', 'decoder'], help: 'encoder-decoder (T5) or decoder (one row with prefix_length)' },
];

/** [min, max] prefix length of a row of L >= 2 tokens. */
export function prefixRange(L: number, noiseDensity: number): [number, number] {
  const max = L - 1;
  return [Math.min(max, Math.max(1, roundHalfEven((1 - 2 * noiseDensity) * max))), max];
}

function splitRow(ids: Int32Array, P: number, o: PrefixLmOptions, eos: number, pad: number): ModelInput {
  const L = ids.length;
  if (o.format === 'decoder') {
    // labels unshifted (the model shifts): position P is the first predicted token, attention bidirectional on [0, P).
    const labels = ids.slice();
    labels.fill(IGNORE_INDEX, 0, P);
    return { input_ids: ids.slice(), attention_mask: new Uint8Array(L).fill(1), labels, prefix_length: P };
  }
  const input = new Int32Array(P + 1);
  input.set(ids.subarray(0, P));
  input[P] = eos;
  const labels = new Int32Array(L - P + 1);
  labels.set(ids.subarray(P));
  labels[L - P] = eos;
  const decoder = new Int32Array(labels.length);
  decoder[0] = pad;
  decoder.set(labels.subarray(0, labels.length - 1), 1);
  return { input_ids: input, attention_mask: new Uint8Array(P + 1).fill(1), labels, decoder_input_ids: decoder, prefix_length: P };
}

function* prefixLm(rows: Iterable<TokenExample>, o: PrefixLmOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  const eos = vocab.eosId;
  ensure(o.format === 'decoder' || eos !== undefined, 'prefix-lm: the vocabulary needs eosId (ends inputs and labels)');
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const ids = row?.input_ids;
    ensure(ids && ids.length > 0, () => `prefix-lm: row ${index} has no tokens`);
    checkIds(ids, vocab, `prefix-lm: row ${index}`);
    ensure(ids.length >= 2, () => `prefix-lm: row ${index} has 1 token; a prefix and a target need at least 2`);
    const [lo, hi] = prefixRange(ids.length, o.noiseDensity);
    const P = Rng.of(ctx.seed, ctx.epoch, index, 'prefix-lm.split').intBetween(lo, hi);
    yield splitRow(ids, P, o, eos ?? -1, vocab.padId);
    index++;
  }
}

export const prefixLmObjective: TokenObjective<PrefixLmOptions> = {
  id: 'prefix-lm',
  title: 'Prefix language modelling',
  summary: 'a uniform split: the prefix is visible context, the rest is predicted',
  needs: { specials: ['eosId'], documents: false },
  heads: ['seq2seq'],
  options,
  resolve(partial) {
    const o = resolveOptions<PrefixLmOptions>('prefix-lm', options, partial);
    ensure(o.noiseDensity >= 0 && o.noiseDensity <= 0.5, `prefix-lm: noiseDensity must be in [0, 0.5], got ${o.noiseDensity}`);
    return o;
  },
  transform: prefixLm,
};
