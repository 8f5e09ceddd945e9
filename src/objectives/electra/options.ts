// ELECTRA masking options (google-research/electra configure_pretraining.py, pretrain_helpers.mask): positions with
// replacement, 85% [MASK] / 15% kept, no random replacement.
import { ensure } from '../../errors.js';
import type { OptionSpec } from '../objective.js';
import { checkPositiveInt, checkProbability, resolveOptions } from '../options.js';

export interface ElectraOptions {
  maskProb: number;
  /** the padded length of every row (ELECTRA max_seq_length); rows may not be longer */
  maxSeqLength: number;
  /** cap on drawn positions, one number for every row; unset: int((maskProb + 0.005) * maxSeqLength) */
  maxPredictions?: number;
  /** share of drawn positions replaced by [MASK]; the rest keep their id */
  maskReplaceProb: number;
  /** 'electra': [UNK] (any special but [CLS], [SEP], [MASK], [PAD]) may be drawn, as ELECTRA's candidates mask does */
  compat: 'none' | 'electra';
}

export const electraOptionSpecs: readonly OptionSpec[] = [
  {
    key: 'maskProb',
    type: 'number',
    default: 0.15,
    help: 'share of real tokens drawn as generator targets (Large: 0.25)',
  },
  {
    key: 'maxSeqLength',
    type: 'int',
    default: 128,
    help: 'padded row length (ELECTRA max_seq_length); sets the default cap',
  },
  {
    key: 'maxPredictions',
    type: 'int',
    default: undefined,
    help: 'cap on targets, one number for every row (default int((maskProb + 0.005) * maxSeqLength), e.g. 19 for 128)',
  },
  {
    key: 'maskReplaceProb',
    type: 'number',
    default: 0.85,
    help: 'share of drawn positions replaced by [MASK] (rest kept)',
  },
  {
    key: 'compat',
    type: 'string',
    default: 'none',
    choices: ['none', 'electra'],
    help: 'electra: [UNK] and other specials but CLS/SEP/MASK/PAD may be drawn',
  },
];

export function resolveElectraOptions(partial: Partial<ElectraOptions>): ElectraOptions {
  const o = resolveOptions<ElectraOptions>('electra', electraOptionSpecs, partial);
  checkProbability('electra', 'maskProb', o.maskProb);
  checkProbability('electra', 'maskReplaceProb', o.maskReplaceProb);
  checkPositiveInt('electra', 'maxSeqLength', o.maxSeqLength);
  if (o.maxPredictions !== undefined) checkPositiveInt('electra', 'maxPredictions', o.maxPredictions);
  ensure(
    o.maxPredictions !== undefined || electraCap(o) > 0,
    `electra: int((maskProb + 0.005) * maxSeqLength) is 0 for maskProb ${o.maskProb}, maxSeqLength ${o.maxSeqLength}; set maxPredictions`,
  );
  return o;
}

/** ELECTRA's max_predictions_per_seq: one cap for the whole batch. */
export function electraCap(o: ElectraOptions): number {
  return o.maxPredictions ?? Math.trunc((o.maskProb + 0.005) * o.maxSeqLength);
}
