// The document loop shared by NSP and SOP: validate, walk each document with its own streams, assemble pairs.
import { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import type { DocumentExample, ModelInput } from '../../batch/row.js';
import type { TransformContext } from '../objective.js';
import { assemblePair } from './assemble.js';
import { walkDocument, type DrawPair } from './chunk.js';
import { prepareCorpus, type PairDoc } from './corpus.js';
import { mlmOf, type PairOptions } from './options.js';

export interface PairObjectiveSpec<O extends PairOptions> {
  id: 'nsp' | 'sop';
  /** the output field carrying the pair label */
  labelField: 'next_sentence_label' | 'sentence_order_label';
  /** checks on the whole corpus (e.g. NSP's two-document rule) */
  checkCorpus?: (corpus: readonly PairDoc[], o: O) => void;
  /** the chunk -> pair rule, drawing from the document's stream */
  makeDraw: (corpus: readonly PairDoc[], o: O, rng: Rng) => DrawPair;
}

/** Output order: documents in input order, a document's pairs in walk order. Streams keyed by document index. */
export function* pairTransform<O extends PairOptions>(
  spec: PairObjectiveSpec<O>,
  docs: readonly DocumentExample[],
  o: O,
  ctx: TransformContext,
): Generator<ModelInput> {
  const { vocab } = ctx;
  ensure(
    vocab.clsId !== undefined && vocab.sepId !== undefined,
    `${spec.id}: the vocabulary needs clsId and sepId for [CLS] A [SEP] B [SEP]`,
  );
  const mlm = mlmOf(o);
  ensure(
    !mlm || vocab.maskId !== undefined,
    `${spec.id}: MLM masking needs the vocabulary's maskId (or set maskProb 0)`,
  );
  const ids = { clsId: vocab.clsId, sepId: vocab.sepId };
  const corpus = prepareCorpus(docs, vocab, spec.id);
  spec.checkCorpus?.(corpus, o);
  if (mlm && (mlm.wholeWord || mlm.spanMasking === 'spanbert')) {
    const bare = corpus.findIndex((doc) => !doc.words);
    ensure(
      bare < 0,
      () =>
        `${spec.id}: ${mlm.wholeWord ? 'wholeWord' : 'spanMasking'} needs word ids on every document; document ${bare} has no word_ids (one array per sentence)`,
    );
  }
  const maxNumTokens = o.maxSeqLen - 3;
  const arena = new RowArena();
  for (let d = 0; d < corpus.length; d++) {
    const rng = Rng.of(ctx.seed, ctx.epoch, d, `${spec.id}.pair`);
    const mlmRng = Rng.of(ctx.seed, ctx.epoch, d, `${spec.id}.mlm`);
    for (const p of walkDocument(corpus, d, maxNumTokens, o.shortSeqProb, rng, spec.makeDraw(corpus, o, rng))) {
      const row = assemblePair(corpus, p.a, p.b, ids, vocab, mlm, mlmRng, arena);
      row[spec.labelField] = p.label;
      yield row;
    }
  }
}
