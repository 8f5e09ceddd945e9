// Causal language modelling (spec §2, Part A). No shift: the model shifts (logits[:, :-1] vs labels[:, 1:]).
// Unpacked: labels copy input_ids; -100 appears only where collation pads (attention_mask 0), never by token value,
// so EOS labels survive pad == eos (transformers#23530); compat 'hf' masks by pad id. Packed: see pack.ts.
import { RowArena } from '../../batch/arena.js';
import { checkRow } from '../mlm/vocab-tables.js';
import { IGNORE_INDEX, type ModelInput, type TokenExample } from '../../batch/row.js';
import type { TokenObjective, TransformContext } from '../objective.js';
import { clmOptionSpecs, isGroupTexts, resolveClmOptions, type ClmOptions } from './options.js';
import { packDocuments } from './pack.js';

export { clmOptionSpecs, resolveClmOptions, type ClmOptions } from './options.js';
export { packDocuments } from './pack.js';

function* unpacked(rows: Iterable<TokenExample>, opts: ClmOptions, ctx: TransformContext): Generator<ModelInput> {
  const { vocab } = ctx;
  const maskPad = opts.compat === 'hf';
  const padId = vocab.padId;
  const arena = new RowArena();
  let index = ctx.startIndex ?? 0;
  for (const row of rows) {
    const ids = row.input_ids;
    checkRow(ids, vocab, 'clm: row', index++);
    const L = ids.length;
    const input_ids = arena.int32(L);
    input_ids.set(ids);
    const labels = arena.int32(L);
    labels.set(ids);
    if (maskPad) for (let i = 0; i < L; i++) if (ids[i] === padId) labels[i] = IGNORE_INDEX;
    yield { input_ids, labels, attention_mask: arena.uint8(L).fill(1) };
  }
}

function transform(rows: Iterable<TokenExample>, opts: ClmOptions, ctx: TransformContext): Iterable<ModelInput> {
  return opts.pack || isGroupTexts(opts)
    ? packDocuments(rows, opts, ctx.vocab, ctx.startIndex ?? 0)
    : unpacked(rows, opts, ctx);
}

export const clmObjective: TokenObjective<ClmOptions> = {
  id: 'clm',
  title: 'Causal language modelling',
  summary:
    'Predict every next token; optionally pack documents into fixed blocks with one EOS each and document-aware attention.',
  needs: { specials: [], documents: false },
  heads: ['lm'],
  // documents packed into blocks of seqLen, one EOS each (document attention by default)
  training: {
    models: {
      decoder: {
        tokenizer: 'gpt2',
        model: 'gpt2',
        head: 'lm',
        rows: 'documents',
        options: (seqLen) => ({ pack: true, blockSize: seqLen }),
      },
    },
  },
  options: clmOptionSpecs,
  resolve: resolveClmOptions,
  transform,
};
