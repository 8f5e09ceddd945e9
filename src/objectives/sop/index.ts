// Sentence order prediction (ALBERT; spec §4, Part A): [CLS] A [SEP] B [SEP] with MLM on the pair;
// sentence_order_label 0 = in order, 1 = the two segments swapped.
import type { Rng } from '../../rng/rng.js';
import type { DocumentObjective, OptionSpec } from '../objective.js';
import { resolveOptions } from '../options.js';
import {
  bertRandomDocument,
  randomSegment,
  sentences,
  splitSentence,
  type DrawPair,
  type Segment,
} from '../pairs/chunk.js';
import type { PairDoc } from '../pairs/corpus.js';
import { checkPairOptions, pairOptionSpecs, type PairOptions } from '../pairs/options.js';
import { pairTransform } from '../pairs/transform.js';

export interface SopOptions extends PairOptions {
  /** 'albert': google-research/albert exactly (a one-sentence chunk gets B from a random document, label 1; albert#234) */
  compat: 'none' | 'albert';
}

const options: readonly OptionSpec[] = pairOptionSpecs([
  {
    key: 'compat',
    type: 'string',
    default: 'none',
    choices: ['none', 'albert'],
    help: 'albert: a one-sentence chunk takes B from a random document with label 1, as ALBERT does',
  },
]);

/** pretext's rule: swap with p = 1/2; one-sentence chunks split at a token boundary (skipped under 2 tokens). */
function drawSop(corpus: readonly PairDoc[], _o: SopOptions, rng: Rng): DrawPair {
  return (d, start, end) => {
    let a: Segment;
    let b: Segment;
    if (end - start >= 2) {
      const aEnd = start + rng.intBetween(1, end - start - 1);
      a = sentences(corpus, d, start, aEnd);
      b = sentences(corpus, d, aEnd, end);
    } else {
      const split = splitSentence(corpus, d, start, rng);
      if (!split) return null;
      [a, b] = split;
    }
    return rng.double() < 0.5 ? { a: b, b: a, label: 1, putBack: 0 } : { a, b, label: 0, putBack: 0 };
  };
}

/** ALBERT's create_instances_from_document with random_next_sentence = False (spec §4). */
function drawAlbert(corpus: readonly PairDoc[], _o: SopOptions, rng: Rng): DrawPair {
  return (d, start, end, target) => {
    if (end - start === 1) {
      const a = sentences(corpus, d, start, end);
      const b = randomSegment(corpus, bertRandomDocument(corpus.length, d, rng), target - a.length, rng);
      return { a, b, label: 1, putBack: 0 };
    }
    const aEnd = start + rng.intBetween(1, end - start - 1);
    const a = sentences(corpus, d, start, aEnd);
    const b = sentences(corpus, d, aEnd, end);
    return rng.double() < 0.5 ? { a: b, b: a, label: 1, putBack: 0 } : { a, b, label: 0, putBack: 0 };
  };
}

export const sopObjective: DocumentObjective<SopOptions> = {
  id: 'sop',
  title: 'Sentence order prediction',
  summary: 'ALBERT pairs [CLS] A [SEP] B [SEP] with MLM; label 1 when the two consecutive segments are swapped',
  needs: { specials: ['clsId', 'sepId', 'maskId'], documents: true },
  heads: ['mlm', 'sop'],
  // sop alone trains the pair head (maskProb 0); mlm+sop masks the pairs too, as ALBERT pretrains
  training: {
    models: {
      encoder: {
        tokenizer: 'bert',
        model: 'bert',
        head: 'mlm+pair',
        rows: 'document-sentences',
        options: (seqLen) => ({ maxSeqLen: seqLen }),
      },
    },
    names: { sop: { maskProb: 0 }, 'mlm+sop': {} },
  },
  options,
  resolve(partial) {
    const o = resolveOptions<SopOptions>('sop', options, partial);
    checkPairOptions(o, 'sop');
    return o;
  },
  transform(docs, o, ctx) {
    return pairTransform(
      { id: 'sop', labelField: 'sentence_order_label', makeDraw: o.compat === 'albert' ? drawAlbert : drawSop },
      docs,
      o,
      ctx,
    );
  },
};
