// Next sentence prediction (BERT; spec §3, Part A): [CLS] A [SEP] B [SEP] with MLM on the pair;
// next_sentence_label 0 = B continues A, 1 = B from another document.
import { ensure } from '../../errors.js';
import type { Rng } from '../../rng/rng.js';
import type { DocumentObjective, OptionSpec } from '../objective.js';
import { checkProbability, resolveOptions } from '../options.js';
import {
  bertRandomDocument,
  otherDocument,
  randomSegment,
  sentences,
  splitSentence,
  type DrawPair,
  type Segment,
} from '../pairs/chunk.js';
import type { PairDoc } from '../pairs/corpus.js';
import { checkPairOptions, pairOptionSpecs, type PairOptions } from '../pairs/options.js';
import { pairTransform } from '../pairs/transform.js';

export interface NspOptions extends PairOptions {
  /** probability of a NotNext pair */
  nspProb: number;
  /** 'bert': google-research/bert exactly (10 tries for another document, one-sentence chunks forced NotNext) */
  compat: 'none' | 'bert';
}

const options: readonly OptionSpec[] = pairOptionSpecs([
  { key: 'nspProb', type: 'number', default: 0.5, help: 'probability of a NotNext pair (B from another document)' },
  {
    key: 'compat',
    type: 'string',
    default: 'none',
    choices: ['none', 'bert'],
    help: 'bert: 10 tries for another document (may end in the same one), one-sentence chunks forced NotNext',
  },
]);

/** pretext's rule: a one-sentence chunk is skipped under 2 tokens, else IsNext splits it at a token boundary and NotNext
 * keeps it whole; NotNext B always from another document. */
function drawNsp(corpus: readonly PairDoc[], o: NspOptions, rng: Rng): DrawPair {
  return (d, start, end, target) => {
    const notNext = (a: Segment) => ({
      a,
      b: randomSegment(corpus, otherDocument(corpus.length, d, rng), target - a.length, rng),
      label: 1,
      putBack: end - a.end,
    });
    let a: Segment;
    let next: Segment;
    if (end - start >= 2) {
      const aEnd = start + rng.intBetween(1, end - start - 1);
      a = sentences(corpus, d, start, aEnd);
      next = sentences(corpus, d, aEnd, end);
    } else {
      // one sentence: skipped under 2 tokens (either label must be possible, or labels skew); NotNext keeps it
      // whole as A (B comes from elsewhere); IsNext splits it at a token boundary
      if (corpus[d].sents[start].length < 2) return null;
      if (rng.double() < o.nspProb) return notNext(sentences(corpus, d, start, end));
      [a, next] = splitSentence(corpus, d, start, rng)!; // >= 2 tokens, so a split exists
      return { a, b: next, label: 0, putBack: 0 };
    }
    if (rng.double() < o.nspProb) return notNext(a);
    return { a, b: next, label: 0, putBack: 0 };
  };
}

/** create_instances_from_document as published (spec §3.1). */
function drawBert(corpus: readonly PairDoc[], o: NspOptions, rng: Rng): DrawPair {
  return (d, start, end, target) => {
    const aEnd = end - start >= 2 ? start + rng.intBetween(1, end - start - 1) : start + 1;
    const a = sentences(corpus, d, start, aEnd);
    if (end - start === 1 || rng.double() < o.nspProb) {
      const b = randomSegment(corpus, bertRandomDocument(corpus.length, d, rng), target - a.length, rng);
      return { a, b, label: 1, putBack: end - aEnd };
    }
    return { a, b: sentences(corpus, d, aEnd, end), label: 0, putBack: 0 };
  };
}

export const nspObjective: DocumentObjective<NspOptions> = {
  id: 'nsp',
  title: 'Next sentence prediction',
  summary: 'BERT pairs [CLS] A [SEP] B [SEP] with MLM; label 1 when B comes from another document',
  needs: { specials: ['clsId', 'sepId', 'maskId'], documents: true },
  heads: ['mlm', 'nsp'],
  // nsp alone trains the pair head (maskProb 0); mlm+nsp masks the pairs too, as BERT pretrains
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
    names: { nsp: { maskProb: 0 }, 'mlm+nsp': {} },
  },
  options,
  resolve(partial) {
    const o = resolveOptions<NspOptions>('nsp', options, partial);
    checkPairOptions(o, 'nsp');
    checkProbability('nsp', 'nspProb', o.nspProb);
    return o;
  },
  transform(docs, o, ctx) {
    return pairTransform(
      {
        id: 'nsp',
        labelField: 'next_sentence_label',
        checkCorpus: (corpus) =>
          ensure(
            o.compat === 'bert' || o.nspProb === 0 || corpus.length >= 2,
            `nsp needs at least two documents (NotNext takes B from another document), got ${corpus.length}`,
          ),
        makeDraw: o.compat === 'bert' ? drawBert : drawNsp,
      },
      docs,
      o,
      ctx,
    );
  },
};
