// SimCSE, data side (spec §7): unsupervised rows give the same ids twice (the encoder's dropout is the only noise);
// supervised rows give the anchor, its positive and a hard negative. Rows are truncated to maxSeqLen.
import { ensure } from '../../errors.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import type { OptionSpec, TokenObjective, TransformContext } from '../objective.js';
import { resolveOptions } from '../options.js';
import { checkIds, type VocabInfo } from '../../tokenize/vocab.js';

export { simcseLoss } from './loss.js';

export type SimcsePooler = 'cls' | 'cls_before_pooler' | 'avg' | 'avg_top2' | 'avg_first_last';

export interface SimcseOptions {
  /** 'unsupervised': each row twice; 'supervised': rows carry positive_ids and negative_ids */
  mode: 'unsupervised' | 'supervised';
  temperature: number;
  pooler: SimcsePooler;
  /** with pooler 'cls': the MLP is used in training only; evaluation pools 'cls_before_pooler' (SimCSE#25, #100).
   * Default: on for unsupervised, off for supervised (SimCSE's recipes: --mlp_only_train is the unsupervised one) */
  mlpOnlyTrain: boolean;
  hardNegativeWeight: number;
  maxSeqLen: number;
}

const options: readonly OptionSpec[] = [
  {
    key: 'mode',
    type: 'string',
    default: 'unsupervised',
    choices: ['unsupervised', 'supervised'],
    help: 'unsupervised (same sentence twice) or supervised (rows with positive_ids and negative_ids)',
  },
  { key: 'temperature', type: 'number', default: 0.05, help: 'softmax temperature tau on cosine similarities' },
  {
    key: 'pooler',
    type: 'string',
    default: 'cls',
    choices: ['cls', 'cls_before_pooler', 'avg', 'avg_top2', 'avg_first_last'],
    help: 'sentence vector: cls (+MLP), cls_before_pooler, avg, avg_top2, avg_first_last',
  },
  {
    key: 'mlpOnlyTrain',
    type: 'boolean',
    default: undefined,
    help: "train with the MLP over [CLS], evaluate without it (pooler 'cls'); default: on for unsupervised, off for supervised, as SimCSE's recipes",
  },
  {
    key: 'hardNegativeWeight',
    type: 'number',
    default: 0,
    help: "added to each row's own hard-negative logit (supervised)",
  },
  { key: 'maxSeqLen', type: 'int', default: 32, help: 'rows truncated to this many tokens (a final SEP/EOS is kept)' },
];

/** The pooler used in a phase: 'cls' with mlpOnlyTrain evaluates as 'cls_before_pooler'. */
export function simcsePooler(o: SimcseOptions, phase: 'train' | 'eval'): SimcsePooler {
  return phase === 'eval' && o.pooler === 'cls' && o.mlpOnlyTrain ? 'cls_before_pooler' : o.pooler;
}

/** A copy cut to `max` tokens; a final SEP/EOS survives the cut, as a tokenizer's truncation keeps it. */
function truncate(ids: Int32Array, max: number, vocab: VocabInfo): Int32Array {
  if (ids.length <= max) return ids.slice();
  const last = ids[ids.length - 1];
  const out = ids.slice(0, max);
  if (last === vocab.sepId || last === vocab.eosId) out[max - 1] = last;
  return out;
}

function view(
  ids: Int32Array | undefined,
  what: string,
  index: number,
  o: SimcseOptions,
  vocab: VocabInfo,
): [Int32Array, Uint8Array] {
  ensure(ids && ids.length > 0, () => `simcse: row ${index} has no tokens${what ? ` in ${what}` : ''}`);
  checkIds(ids, vocab, `simcse: row ${index}${what ? ` ${what}` : ''}`);
  const t = truncate(ids, o.maxSeqLen, vocab);
  return [t, new Uint8Array(t.length).fill(1)];
}

function* simcse(rows: Iterable<TokenExample>, o: SimcseOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const [ids, mask] = view(row?.input_ids, '', index, o, vocab);
    const out: ModelInput = { input_ids: ids, attention_mask: mask };
    if (o.mode === 'unsupervised') {
      out.positive_input_ids = ids.slice();
      out.positive_attention_mask = mask.slice();
    } else {
      ensure(
        row.positive_ids && row.negative_ids,
        () => `simcse: supervised row ${index} needs positive_ids and negative_ids`,
      );
      [out.positive_input_ids, out.positive_attention_mask] = view(row.positive_ids, 'positive_ids', index, o, vocab);
      [out.negative_input_ids, out.negative_attention_mask] = view(row.negative_ids, 'negative_ids', index, o, vocab);
    }
    yield out;
    index++;
  }
}

export const simcseObjective: TokenObjective<SimcseOptions> = {
  id: 'simcse',
  title: 'SimCSE contrastive sentence embeddings',
  summary:
    'each sentence encoded twice (dropout as noise) or with an NLI positive and hard negative; in-batch negatives',
  needs: { specials: [], documents: false },
  heads: ['contrastive'],
  // a BERT encoder on one sentence a row (unsupervised) or on --pairs triples (supervised). Trained from scratch the
  // [CLS] vector barely depends on the sentence (post-LN BERT at init), so runs pool by mean unless --pooler says
  // otherwise; SimCSE's 'cls' recipe starts from a pretrained encoder (--init-from an mlm run)
  training: {
    models: {
      encoder: {
        tokenizer: 'bert',
        model: 'simcse',
        head: 'contrastive',
        rows: (o: SimcseOptions) => (o.mode === 'supervised' ? 'triples' : 'sentences'),
        options: () => ({ pooler: 'avg' }),
      },
    },
  },
  options,
  resolve(partial) {
    const o = resolveOptions<SimcseOptions>('simcse', options, partial);
    o.mlpOnlyTrain ??= o.mode === 'unsupervised';
    ensure(o.temperature > 0, `simcse: temperature must be > 0, got ${o.temperature}`);
    ensure(o.maxSeqLen >= 2, `simcse: maxSeqLen must be >= 2, got ${o.maxSeqLen}`);
    ensure(Number.isFinite(o.hardNegativeWeight), `simcse: hardNegativeWeight must be finite`);
    return o;
  },
  transform: simcse,
};
