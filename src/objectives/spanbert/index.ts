// SpanBERT (Joshi et al. 2020; facebookresearch/SpanBERT pretraining): geometric word-span masking with 80/10/10 per
// span, plus the span boundary objective's data: per target token, the positions of the span's two boundary tokens
// and the token's 0-based position in its span. Spans are maximal runs of targets (SpanBERT merges touching spans);
// a span gets SBO targets only when both boundaries are non-special (SpanBERT skips spans at the block's ends), and
// only its first maxPairTargets tokens (SpanBERT pads and cuts pair targets to max_pair_targets = 15).
import { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { maskRow } from '../mlm/mask.js';
import { mlmOptionSpecs, resolveMlmOptions, type MlmOptions } from '../mlm/options.js';
import { checkRow, vocabTables } from '../mlm/vocab-tables.js';
import { IGNORE_INDEX, type ModelInput, type TokenExample } from '../../batch/row.js';
import type { OptionSpec, TokenObjective, TransformContext } from '../objective.js';
import { checkPositiveInt, resolveOptions } from '../options.js';

export interface SpanbertOptions extends MlmOptions {
  /** SBO targets per span: its first maxPairTargets tokens (SpanBERT max_pair_targets) */
  maxPairTargets: number;
}

const OWN = new Set(['maskProb', 'maskReplaceProb', 'randomReplaceProb', 'randomDistribution', 'sparse', 'compat']);
const options: readonly OptionSpec[] = [
  ...mlmOptionSpecs.filter((s) => OWN.has(s.key)),
  {
    key: 'maxPairTargets',
    type: 'int',
    default: 15,
    help: 'span boundary targets per span: its first tokens, up to this many (SpanBERT max_pair_targets)',
  },
];

/** Span boundary targets of a masked row, ascending by position: [T] each. */
export interface SpanBoundaryTargets {
  sbo_positions: Int32Array;
  sbo_left: Int32Array;
  sbo_right: Int32Array;
  sbo_relative: Int32Array;
}

/** SBO targets from a row's labels (targets = labels != -100) and its special-token mask. */
export function spanBoundaryTargets(
  ids: Int32Array,
  labels: Int32Array,
  special: Uint8Array,
  maxPairTargets: number,
  arena?: RowArena,
): SpanBoundaryTargets {
  let T = 0;
  forEachTarget(ids, labels, special, maxPairTargets, () => T++);
  const out = {
    sbo_positions: arena ? arena.int32(T) : new Int32Array(T),
    sbo_left: arena ? arena.int32(T) : new Int32Array(T),
    sbo_right: arena ? arena.int32(T) : new Int32Array(T),
    sbo_relative: arena ? arena.int32(T) : new Int32Array(T),
  };
  let k = 0;
  forEachTarget(ids, labels, special, maxPairTargets, (i, s, e) => {
    out.sbo_positions[k] = i;
    out.sbo_left[k] = s - 1;
    out.sbo_right[k] = e;
    out.sbo_relative[k++] = i - s;
  });
  return out;
}

// fn(position, span start, span end exclusive) for each SBO target.
function forEachTarget(
  ids: Int32Array,
  labels: Int32Array,
  special: Uint8Array,
  max: number,
  fn: (i: number, s: number, e: number) => void,
): void {
  const L = ids.length;
  for (let s = 0; s < L; ) {
    if (labels[s] === IGNORE_INDEX) {
      s++;
      continue;
    }
    let e = s;
    while (e < L && labels[e] !== IGNORE_INDEX) e++;
    if (s > 0 && e < L && !special[ids[s - 1]] && !special[ids[e]])
      for (let i = s; i < Math.min(e, s + max); i++) fn(i, s, e);
    s = e;
  }
}

function* transform(rows: Iterable<TokenExample>, o: SpanbertOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  ensure(vocab.maskId !== undefined, 'the tokenizer has no [MASK] token; spanbert needs one');
  const { special } = vocabTables(vocab);
  const arena = new RowArena();
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const ids = row?.input_ids;
    checkRow(ids ?? new Int32Array(0), vocab, 'spanbert: row', index);
    const m = maskRow(ids, o, vocab, Rng.of(ctx.seed, ctx.epoch, index, 'spanbert'), row.word_ids, arena)!;
    const out: ModelInput = {
      input_ids: m.input_ids,
      labels: m.labels,
      attention_mask: arena.uint8(ids.length).fill(1),
      ...spanBoundaryTargets(ids, m.labels, special, o.maxPairTargets, arena),
    };
    if (m.masked_positions) out.masked_positions = m.masked_positions;
    yield out;
    index++;
  }
}

export const spanbertObjective: TokenObjective<SpanbertOptions> = {
  id: 'spanbert',
  title: 'SpanBERT span masking with span boundary targets',
  summary:
    'Geometric word spans (mean 3.8 words) masked 80/10/10 per span; per target, the span boundary positions and its position in the span (SBO data).',
  needs: { specials: ['maskId'], documents: false },
  heads: ['mlm'],
  options,
  resolve(partial) {
    const own = resolveOptions<SpanbertOptions>('spanbert', options, partial);
    checkPositiveInt('spanbert', 'maxPairTargets', own.maxPairTargets);
    const { maxPairTargets, ...mlm } = own;
    return { ...resolveMlmOptions({ ...mlm, spanMasking: 'spanbert' }, 'spanbert'), maxPairTargets };
  },
  transform,
};
