// ELECTRA replaced-token detection, data side (spec §6): the generator's masked input and targets per row; the
// model samples replacements and trains the discriminator on discriminatorLabels (loss = gen + 50 x disc).
import { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { checkRow } from '../mlm/vocab-tables.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import type { TokenObjective, TransformContext } from '../objective.js';
import { electraMask } from './mask.js';
import { electraOptionSpecs, resolveElectraOptions, type ElectraOptions } from './options.js';

export { corruptedInput, discriminatorLabels, type DuplicateRule } from './discriminator.js';
export { electraCount, electraMask, type ElectraRow } from './mask.js';
export { electraCap, electraOptionSpecs, resolveElectraOptions, type ElectraOptions } from './options.js';

function* transform(rows: Iterable<TokenExample>, opts: ElectraOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  ensure(vocab.maskId !== undefined, 'the tokenizer has no [MASK] token; electra needs one');
  const start = ctx.startIndex ?? 0;
  const arena = new RowArena();
  let i = 0;
  for (const row of rows) {
    const index = start + i++;
    checkRow(row.input_ids, vocab, 'electra: row', index);
    ensure(
      row.input_ids.length <= opts.maxSeqLength,
      () =>
        `electra: row ${index} has ${row.input_ids.length} tokens, more than maxSeqLength ${opts.maxSeqLength} (the cap on targets derives from it)`,
    );
    const out = electraMask(row.input_ids, opts, vocab, Rng.of(ctx.seed, ctx.epoch, index, 'electra'), arena);
    const attention_mask = arena.uint8(row.input_ids.length).fill(1);
    yield { input_ids: out.input_ids, labels: out.labels, attention_mask, masked_positions: out.masked_positions };
  }
}

export const electraObjective: TokenObjective<ElectraOptions> = {
  id: 'electra',
  title: 'ELECTRA replaced-token detection',
  summary:
    'A small generator fills ~15% masked positions (drawn with replacement, 85% [MASK]); the discriminator tells replaced tokens from originals.',
  needs: { specials: ['maskId'], documents: false },
  heads: ['mlm', 'discriminator'],
  // generator + discriminator on FULL-SENTENCES rows (ELECTRA's build_pretraining_dataset fills rows with sentences)
  training: {
    models: {
      electra: {
        tokenizer: 'bert',
        model: 'electra',
        head: 'rtd',
        rows: 'full-sentences',
        options: (seqLen) => ({ maxSeqLength: seqLen }),
      },
    },
  },
  options: electraOptionSpecs,
  resolve: resolveElectraOptions,
  transform,
};
