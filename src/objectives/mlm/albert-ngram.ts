// ALBERT n-gram masking (google-research/albert create_pretraining_data.py, Lan et al. 2020 §4.1): units are whole
// words (or tokens); every unit starts n-gram candidates of 1..maxNgram consecutive units. Candidates are shuffled;
// for each, n is drawn with p(n) ∝ 1/n over the n-grams available there, shortened while it would overshoot
// num = min(maxPredictions, max(1, round(L * p))) tokens, skipped if it still overshoots or touches a covered token.
// As in ALBERT, consecutive units may sit on both sides of [SEP] (its candidate list skips the specials).
import type { Rng } from '../../rng/rng.js';
import { roundHalfEven } from '../round.js';
import { scratchI32 } from './scratch.js';
import type { Units } from './select.js';

/** P(n) ∝ 1/n over n = 1..k, as a cumulative table (ALBERT favor_shorter_ngram). */
function ngramCdf(k: number): Float64Array {
  const cdf = new Float64Array(k);
  let total = 0;
  for (let n = 1; n <= k; n++) cdf[n - 1] = total += 1 / n;
  for (let n = 0; n < k; n++) cdf[n] /= total;
  return cdf;
}

/** n in 1..k with p ∝ 1/n. */
export function drawNgram(k: number, rng: Rng): number {
  const cdf = ngramCdf(k);
  const u = rng.double();
  let n = 0;
  while (n < k - 1 && u >= cdf[n]) n++;
  return n + 1;
}

/** Sets sel[u] = 1 on the chosen units; returns the tokens covered. `rowLength` counts specials (ALBERT len(tokens)). */
export function selectNgrams(
  units: Units,
  maskProb: number,
  maxPredictions: number,
  maxNgram: number,
  rowLength: number,
  sel: Uint8Array,
  rng: Rng,
): number {
  const { n, size } = units;
  const num = Math.min(maxPredictions, Math.max(1, roundHalfEven(rowLength * maskProb)));
  const order = scratchI32(2, n);
  for (let i = 0; i < n; i++) order[i] = i;
  rng.shuffle(order.subarray(0, n));
  let covered = 0;
  for (let c = 0; c < n && covered < num; c++) {
    const start = order[c];
    const avail = Math.min(maxNgram, n - start);
    let len = drawNgram(avail, rng);
    let tokens = spanTokens(size, start, len);
    while (covered + tokens > num && len > 1) tokens = spanTokens(size, start, --len);
    if (covered + tokens > num) continue;
    let free = true;
    for (let u = start; u < start + len; u++) if (sel[u]) free = false;
    if (!free) continue;
    for (let u = start; u < start + len; u++) sel[u] = 1;
    covered += tokens;
  }
  return covered;
}

function spanTokens(size: Int32Array, start: number, len: number): number {
  let t = 0;
  for (let u = start; u < start + len; u++) t += size[u];
  return t;
}
