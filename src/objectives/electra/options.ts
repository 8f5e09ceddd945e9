// ELECTRA masking options (spec §6): positions with replacement, 85% [MASK] / 15% kept, no random replacement.
import type { OptionSpec } from '../objective.js';
import { checkPositiveInt, checkProbability, resolveOptions } from '../options.js';

export interface ElectraOptions {
  maskProb: number;
  /** cap on drawn positions per row; unset: int((maskProb + 0.005) * L) per row (ELECTRA's max_predictions_per_seq) */
  maxPredictions?: number;
  /** share of drawn positions replaced by [MASK]; the rest keep their id */
  maskReplaceProb: number;
}

export const electraOptionSpecs: readonly OptionSpec[] = [
  { key: 'maskProb', type: 'number', default: 0.15, help: 'share of real tokens drawn as generator targets (Large: 0.25)' },
  { key: 'maxPredictions', type: 'int', default: undefined, help: 'cap on targets per row (default int((maskProb + 0.005) * L))' },
  { key: 'maskReplaceProb', type: 'number', default: 0.85, help: 'share of drawn positions replaced by [MASK] (rest kept)' },
];

export function resolveElectraOptions(partial: Partial<ElectraOptions>): ElectraOptions {
  const o = resolveOptions<ElectraOptions>('electra', electraOptionSpecs, partial);
  checkProbability('electra', 'maskProb', o.maskProb);
  checkProbability('electra', 'maskReplaceProb', o.maskReplaceProb);
  if (o.maxPredictions !== undefined) checkPositiveInt('electra', 'maxPredictions', o.maxPredictions);
  return o;
}
