// Options shared by NSP and SOP: BERT's chunking knobs plus the MLM options applied to every pair.
import { ensure } from '../../errors.js';
import type { OptionSpec } from '../objective.js';
import { mlmOptionSpecs, checkMlmOptions, hfWholeWord, type MlmOptions } from '../mlm/options.js';
import { checkProbability } from '../options.js';

export interface PairOptions extends Omit<MlmOptions, 'compat'> {
  /** [CLS] A [SEP] B [SEP] at most this long */
  maxSeqLen: number;
  /** probability of a document's target length being randint(2, maxSeqLen - 3) */
  shortSeqProb: number;
  /** MLM's compat ('hf': random ids may be specials), renamed so `compat` can name the pair reference */
  mlmCompat: 'none' | 'hf';
}

const mlmCompat = mlmOptionSpecs.find((s) => s.key === 'compat')!;

/** [pair specs, own specs, MLM specs with MLM's `compat` exposed as `mlmCompat`]. */
export function pairOptionSpecs(own: readonly OptionSpec[]): OptionSpec[] {
  return [
    { key: 'maxSeqLen', type: 'int', default: 128, help: 'longest [CLS] A [SEP] B [SEP] (BERT max_seq_length)' },
    {
      key: 'shortSeqProb',
      type: 'number',
      default: 0.1,
      help: 'probability of a shorter target length per document (BERT short_seq_prob)',
    },
    ...own,
    ...mlmOptionSpecs.filter((s) => s.key !== 'compat'),
    { ...mlmCompat, key: 'mlmCompat', help: `MLM masking: ${mlmCompat.help}` },
  ];
}

export function checkPairOptions(o: PairOptions, objectiveId: string): void {
  ensure(
    Number.isInteger(o.maxSeqLen) && o.maxSeqLen >= 5,
    `${objectiveId}: maxSeqLen must be an integer >= 5 (room for [CLS] A [SEP] B [SEP] with 2 tokens), got ${o.maxSeqLen}`,
  );
  checkProbability(objectiveId, 'shortSeqProb', o.shortSeqProb);
  checkMlmOptions(mlmPart(o), objectiveId);
}

function mlmPart(o: PairOptions): MlmOptions {
  return {
    maskProb: o.maskProb,
    maskReplaceProb: o.maskReplaceProb,
    randomReplaceProb: o.randomReplaceProb,
    wholeWord: o.wholeWord,
    selection: o.selection,
    spanMasking: o.spanMasking,
    maxNgram: o.maxNgram,
    maxPredictions: o.maxPredictions,
    sparse: o.sparse,
    randomDistribution: o.randomDistribution,
    compat: o.mlmCompat,
  };
}

/** The MLM options for the pairs, or null when maskProb is 0 (no masking, no `labels`). */
export function mlmOf(o: PairOptions): MlmOptions | null {
  return o.maskProb === 0 ? null : hfWholeWord(mlmPart(o));
}
