// T5's length arithmetic (spec §5.1): the raw row length whose corrupted inputs fill `inputsLength`.
// google-research/text-to-text-transfer-transformer random_spans_helper; HF run_t5_mlm_flax compute_input_and_target_lengths.
import { ensure } from '../../errors.js';
import { roundHalfEven } from '../round.js';

/** Encoded [inputs, targets] lengths of a raw row of t tokens: keep + spans + EOS, noise + spans + EOS. */
export function encodedLengths(t: number, noiseDensity: number, meanNoiseSpanLength: number): [number, number] {
  const noise = roundHalfEven(t * noiseDensity);
  const spans = roundHalfEven(noise / meanNoiseSpanLength);
  return [t - noise + spans + 1, noise + spans + 1];
}

/**
 * The largest raw length whose encoded inputs fit `inputsLength`, and its targets length.
 * 't5' starts the search at inputsLength - 1, 'hf' at inputsLength (they differ only in degenerate settings).
 * 512, 0.15, 3 -> { rawLength: 568, targetsLength: 114 }.
 */
export function computeInputAndTargetLengths(
  inputsLength: number,
  noiseDensity: number,
  meanNoiseSpanLength: number,
  compat: 't5' | 'hf' = 't5',
): { rawLength: number; targetsLength: number } {
  ensure(
    Number.isInteger(inputsLength) && inputsLength >= 2,
    `span-corruption: inputsLength must be an integer >= 2, got ${inputsLength}`,
  );
  ensure(
    noiseDensity >= 0 && noiseDensity < 1,
    `span-corruption: noiseDensity must be in [0, 1) to size rows from inputsLength, got ${noiseDensity}`,
  );
  ensure(meanNoiseSpanLength >= 1, `span-corruption: meanNoiseSpanLength must be >= 1, got ${meanNoiseSpanLength}`);
  let t = compat === 't5' ? inputsLength - 1 : inputsLength;
  while (encodedLengths(t + 1, noiseDensity, meanNoiseSpanLength)[0] <= inputsLength) t++;
  let targets = encodedLengths(t, noiseDensity, meanNoiseSpanLength)[1];
  // T5's hack: with density 0.5 keep targets no longer than inputs
  if (noiseDensity === 0.5 && targets > inputsLength) {
    t--;
    targets--;
  }
  return { rawLength: t, targetsLength: targets };
}
