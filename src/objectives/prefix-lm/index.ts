// Prefix LM (T5 prefix_lm / UL2 S-denoiser, spec §5.5): a row split at a uniform point; the prefix is context,
// the rest is predicted. Prefix length uniform in [max(1, round((1 - 2d)(L - 1))), L - 1] (T5 random_prefix_noise_mask).
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { IGNORE_INDEX, type ModelInput, type TokenExample } from '../../batch/row.js';
import type { OptionSpec, TokenObjective, TransformContext } from '../objective.js';
import { resolveOptions } from '../options.js';
import { roundHalfEven } from '../round.js';
import { checkIds } from '../../tokenize/vocab.js';

export interface PrefixLmOptions {
  /** share of the row that may be target: 0.5 allows any split */
  noiseDensity: number;
  /** 'encoder-decoder': input_ids = prefix + EOS, labels = rest + EOS; 'decoder': one row, labels -100 on the prefix */
  format: 'encoder-decoder' | 'decoder';
  /** decoder form: prefix + EOS + rest + EOS, as seqio's PrefixLM feature converter; false: the bare row split */
  decoderEos: boolean;
}

const options: readonly OptionSpec[] = [
  {
    key: 'noiseDensity',
    type: 'number',
    default: 0.5,
    help: 'at most this share of the row is target (<= 0.5; 0.5 = any split point)',
  },
  {
    key: 'format',
    type: 'string',
    default: 'encoder-decoder',
    choices: ['encoder-decoder', 'decoder'],
    help: 'encoder-decoder (T5) or decoder (one row with prefix_length)',
  },
  {
    key: 'decoderEos',
    type: 'boolean',
    default: true,
    help: 'decoder form: EOS after the prefix and after the target (seqio PrefixLM); off: the bare row split',
  },
];

/** [min, max] prefix length of a row of L >= 2 tokens. */
export function prefixRange(L: number, noiseDensity: number): [number, number] {
  const max = L - 1;
  return [Math.min(max, Math.max(1, roundHalfEven((1 - 2 * noiseDensity) * max))), max];
}

export function splitRow(ids: Int32Array, P: number, o: PrefixLmOptions, eos: number, pad: number): ModelInput {
  const L = ids.length;
  if (o.format === 'decoder') {
    // labels unshifted (the model shifts): position prefix_length is the first predicted token, attention
    // bidirectional on [0, prefix_length). With decoderEos: prefix EOS target EOS, the prefix's EOS is context.
    const row = o.decoderEos ? withEos(ids, P, eos) : ids.slice();
    const visible = o.decoderEos ? P + 1 : P;
    const labels = row.slice();
    labels.fill(IGNORE_INDEX, 0, visible);
    return { input_ids: row, attention_mask: new Uint8Array(row.length).fill(1), labels, prefix_length: visible };
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
  return {
    input_ids: input,
    attention_mask: new Uint8Array(P + 1).fill(1),
    labels,
    decoder_input_ids: decoder,
    prefix_length: P,
  };
}

// [L + 2] = ids[0, P) EOS ids[P, L) EOS
function withEos(ids: Int32Array, P: number, eos: number): Int32Array {
  const out = new Int32Array(ids.length + 2);
  out.set(ids.subarray(0, P));
  out[P] = eos;
  out.set(ids.subarray(P), P + 1);
  out[ids.length + 1] = eos;
  return out;
}

function* prefixLm(rows: Iterable<TokenExample>, o: PrefixLmOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  const eos = vocab.eosId;
  ensure(
    (o.format === 'decoder' && !o.decoderEos) || eos !== undefined,
    'prefix-lm: the vocabulary needs eosId (ends the prefix and the target; decoderEos false drops it in the decoder form)',
  );
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
  // encoder-decoder (default): T5ForConditionalGeneration, prefix + EOS -> rest + EOS, rows of seqLen - 1 tokens;
  // decoder: GPT-2 whose prefix (and its EOS) attends both ways; rows of seqLen - 2 tokens leave room for two EOS
  training: {
    models: {
      'encoder-decoder': {
        tokenizer: 't5',
        model: 't5',
        head: 'seq2seq',
        rows: 'chunks',
        reserve: 1,
        options: () => ({ format: 'encoder-decoder' }),
      },
      decoder: {
        tokenizer: 'gpt2',
        model: 'gpt2',
        head: 'lm',
        rows: 'chunks',
        reserve: 2,
        options: () => ({ format: 'decoder' }),
      },
    },
  },
  options,
  resolve(partial) {
    const o = resolveOptions<PrefixLmOptions>('prefix-lm', options, partial);
    ensure(
      o.noiseDensity >= 0 && o.noiseDensity <= 0.5,
      `prefix-lm: noiseDensity must be in [0, 0.5], got ${o.noiseDensity}`,
    );
    return o;
  },
  transform: prefixLm,
};
