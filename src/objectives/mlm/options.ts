// MLM options: one list shared by `mlm` and the pair objectives (NSP, SOP) that mask their pairs the same way.
import { ensure } from '../../errors.js';
import type { OptionSpec } from '../objective.js';
import { checkPositiveInt, checkProbability, resolveOptions } from '../options.js';

/**
 * How targets are chosen (spec §1; counts round half to even). Units are eligible tokens, or words with wholeWord.
 * L = the row's length in units, each special token counting as one unit (token mode: the row length, specials
 * included, as Cramming, BERT and fairseq count); every count is capped by the eligible units.
 * bernoulli: each unit with probability p (HF). fixed-count: exactly round(p L) (Cramming). bert-static:
 * min(maxPredictions, max(1, round(p len))) tokens, len in tokens, shuffled units, overshooting words skipped.
 * fairseq: floor(p L + U), U ~ U[0, 1), so E = p L exactly.
 */
export type MlmSelection = 'bernoulli' | 'fixed-count' | 'bert-static' | 'fairseq';

export interface MlmOptions {
  /** selection rate */
  maskProb: number;
  /** share of selected tokens replaced by [MASK] */
  maskReplaceProb: number;
  /** share of selected tokens replaced by a random id; the rest keep their id */
  randomReplaceProb: number;
  /** select whole words (from the row's word_ids) instead of single tokens */
  wholeWord: boolean;
  selection: MlmSelection;
  /** 'spanbert': geometric word spans (p = 0.2, [1, 10]) instead of `selection`, 80/10/10 per span;
   * 'albert-ngram': n-grams of n <= maxNgram words with p ∝ 1/n, ALBERT's count rule, 80/10/10 per token */
  spanMasking: 'none' | 'spanbert' | 'albert-ngram';
  /** longest n-gram for 'albert-ngram' (ALBERT max_ngram_size) */
  maxNgram: number;
  /** cap on selected tokens per row for 'bert-static' (google-research/bert max_predictions_per_seq) */
  maxPredictions: number;
  /** also emit masked_positions: the selected positions, ascending (sparse prediction) */
  sparse: boolean;
  /** 'unigram': random ids by corpus frequency (vocab.unigramCounts), as SpanBERT; 'uniform' over non-special ids */
  randomDistribution: 'uniform' | 'unigram';
  /** 'hf': random ids drawn from [0, V), specials included, as HF's collator does; with wholeWord, every selected
   * token becomes [MASK] (HF's whole-word collator forces maskReplaceProb 1) */
  compat: 'none' | 'hf';
}

export const mlmOptionSpecs: readonly OptionSpec[] = [
  { key: 'maskProb', type: 'number', default: 0.15, help: 'share of eligible tokens selected as targets' },
  { key: 'maskReplaceProb', type: 'number', default: 0.8, help: 'share of selected tokens replaced by [MASK]' },
  {
    key: 'randomReplaceProb',
    type: 'number',
    default: 0.1,
    help: 'share of selected tokens replaced by a random id (rest kept)',
  },
  { key: 'wholeWord', type: 'boolean', default: false, help: "select whole words from the rows' word ids" },
  {
    key: 'selection',
    type: 'string',
    default: 'bernoulli',
    choices: ['bernoulli', 'fixed-count', 'bert-static', 'fairseq'],
    help: 'bernoulli (HF), fixed-count (Cramming), bert-static (create_pretraining_data count), fairseq (probabilistic rounding)',
  },
  {
    key: 'spanMasking',
    type: 'string',
    default: 'none',
    choices: ['none', 'spanbert', 'albert-ngram'],
    help: 'spanbert: geometric word spans, 80/10/10 per span; albert-ngram: n-grams of up to maxNgram words, p ∝ 1/n (ALBERT)',
  },
  {
    key: 'maxNgram',
    type: 'int',
    default: 3,
    help: "longest n-gram in words for spanMasking 'albert-ngram' (ALBERT max_ngram_size)",
  },
  { key: 'maxPredictions', type: 'int', default: 20, help: "cap on targets per row for selection 'bert-static'" },
  { key: 'sparse', type: 'boolean', default: false, help: 'also emit masked_positions (sparse prediction)' },
  {
    key: 'randomDistribution',
    type: 'string',
    default: 'uniform',
    choices: ['uniform', 'unigram'],
    help: "random ids: uniform over non-special ids, or unigram by the vocabulary's corpus counts (SpanBERT)",
  },
  {
    key: 'compat',
    type: 'string',
    default: 'none',
    choices: ['none', 'hf'],
    help: 'hf: random ids may be special tokens, and whole-word selects become all [MASK], as in HF',
  },
];

/** Defaults <- partial, validated; `objectiveId` names the objective in error messages. */
export function resolveMlmOptions(partial: Partial<MlmOptions>, objectiveId = 'mlm'): MlmOptions {
  const o = resolveOptions<MlmOptions>(objectiveId, mlmOptionSpecs, partial);
  checkMlmOptions(o, objectiveId);
  return hfWholeWord(o);
}

/** HF's whole-word collator replaces every selected token by [MASK] (no random / keep split). */
export function hfWholeWord(o: MlmOptions): MlmOptions {
  return o.compat === 'hf' && o.wholeWord ? { ...o, maskReplaceProb: 1, randomReplaceProb: 0 } : o;
}

/** Throws a one-line PretextError for an invalid combination. */
export function checkMlmOptions(o: MlmOptions, objectiveId = 'mlm'): void {
  checkProbability(objectiveId, 'maskProb', o.maskProb);
  checkProbability(objectiveId, 'maskReplaceProb', o.maskReplaceProb);
  checkProbability(objectiveId, 'randomReplaceProb', o.randomReplaceProb);
  ensure(
    o.maskReplaceProb + o.randomReplaceProb <= 1 + 1e-12,
    `${objectiveId}: maskReplaceProb + randomReplaceProb must be at most 1, got ${o.maskReplaceProb} + ${o.randomReplaceProb}`,
  );
  checkPositiveInt(objectiveId, 'maxPredictions', o.maxPredictions);
  checkPositiveInt(objectiveId, 'maxNgram', o.maxNgram);
  ensure(
    o.spanMasking === 'none' || o.selection === 'bernoulli',
    `${objectiveId}: spanMasking '${o.spanMasking}' chooses its own spans; leave selection at its default (got '${o.selection}')`,
  );
}
