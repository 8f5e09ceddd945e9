// Masked language modelling (spec §1): dynamic masking keyed by (seed, epoch, row index), so a row's mask never
// depends on batching. Rows are unpadded; collation (src/batch) pads.
import { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import type { TokenObjective, TransformContext } from '../objective.js';
import { maskRow } from './mask.js';
import { mlmOptionSpecs, resolveMlmOptions, type MlmOptions } from './options.js';
import { checkRow } from './vocab-tables.js';

export { maskTokens, type MaskedRow } from './mask.js';
export { checkMlmOptions, mlmOptionSpecs, resolveMlmOptions, type MlmOptions, type MlmSelection } from './options.js';
export { SPANBERT_GEOMETRIC_P, SPANBERT_MAX_SPAN, spanbertSpanLength } from './spanbert.js';
export { countTokens } from './vocab-tables.js';

function* transform(rows: Iterable<TokenExample>, opts: MlmOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  ensure(vocab.maskId !== undefined, 'the tokenizer has no [MASK] token; mlm needs one');
  const start = ctx.startIndex ?? 0;
  const arena = new RowArena();
  let i = 0;
  for (const row of rows) {
    const index = start + i++;
    const ids = row.input_ids;
    ensure(ids.length > 0, () => `mlm: row ${index} has no tokens`);
    const out = maskRow(ids, opts, vocab, Rng.of(ctx.seed, ctx.epoch, index, 'mlm'), row.word_ids, arena);
    if (!out) return checkRow(ids, vocab, 'mlm: row', index); // throws: an id outside the vocabulary
    const r: ModelInput = {
      input_ids: out.input_ids,
      labels: out.labels,
      attention_mask: arena.uint8(ids.length).fill(1),
    };
    if (out.masked_positions) r.masked_positions = out.masked_positions;
    yield r;
  }
}

export const mlmObjective: TokenObjective<MlmOptions> = {
  id: 'mlm',
  title: 'Masked language modelling',
  summary:
    'Select ~15% of non-special tokens (or whole words, SpanBERT spans, ALBERT n-grams); 80% [MASK], 10% random, 10% kept; predict the originals.',
  needs: { specials: ['maskId'], documents: false },
  heads: ['mlm'],
  // encoder: BERT (post-LN) as BertForMaskedLM; pre-ln: pre-LN BERT (Cramming) as RobertaPreLayerNormForMaskedLM
  training: {
    models: {
      encoder: { tokenizer: 'bert', model: 'bert', head: 'mlm', rows: 'full-sentences' },
      'pre-ln': { tokenizer: 'bert', model: 'roberta-prelayernorm', head: 'mlm', rows: 'full-sentences' },
    },
  },
  options: mlmOptionSpecs,
  resolve: (partial) => resolveMlmOptions(partial, 'mlm'),
  transform,
};
