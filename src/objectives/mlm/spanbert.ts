// SpanBERT span selection (Joshi et al. 2020): until ceil(N * maskProb) tokens are covered (N non-special tokens), draw a span
// length in words ~ Geometric(0.2) truncated to [1, 10], an eligible anchor uniformly; skip a covered anchor,
// else cover whole words from the anchor's word start, stopping at the budget, a special token or the row end.
// Words are runs of eligible tokens sharing a word id (each eligible token is a word without word ids).
import type { Rng } from '../../rng/rng.js';
import { scratchI32 } from './scratch.js';

export const SPANBERT_GEOMETRIC_P = 0.2;
export const SPANBERT_MAX_SPAN = 10;

// P(len <= k) for k = 1..10, renormalised over the truncation, in uint32 units.
const CDF_U32 = (() => {
  const q = 1 - SPANBERT_GEOMETRIC_P;
  const z = 1 - q ** SPANBERT_MAX_SPAN;
  const out = new Float64Array(SPANBERT_MAX_SPAN);
  for (let k = 1; k <= SPANBERT_MAX_SPAN; k++) out[k - 1] = ((1 - q ** k) / z) * 4294967296;
  out[SPANBERT_MAX_SPAN - 1] = 4294967296;
  return out;
})();

/** A span length in words: Geometric(0.2) on {1, 2, ...} truncated to [1, 10] (mean 3.80). */
export function spanbertSpanLength(rng: Rng): number {
  const u = rng.nextU32();
  let k = 0;
  while (u >= CDF_U32[k]) k++;
  return k + 1;
}

/** Sets sel[i] = 1 on the covered tokens; returns the number covered. sel must be zero on [0, L). */
export function selectSpans(
  ids: Int32Array,
  special: Uint8Array,
  wordIds: Int32Array | undefined,
  maskProb: number,
  sel: Uint8Array,
  rng: Rng,
): number {
  const L = ids.length;
  const eligible = scratchI32(0, L);
  let nEligible = 0;
  for (let i = 0; i < L; i++) if (!special[ids[i]] && (!wordIds || wordIds[i] >= 0)) eligible[nEligible++] = i;
  // SpanBERT masks the block before [CLS]/[SEP] are added: the budget counts the non-special tokens only.
  // ceil with a tolerance: 20 x 0.15 is 3.0000000000000004 in floating point and must budget 3, not 4.
  const budget = Math.min(nEligible, Math.ceil(nEligible * maskProb - 1e-9));
  let covered = 0;
  while (covered < budget) {
    const words = spanbertSpanLength(rng);
    const anchor = eligible[rng.int(nEligible)];
    if (sel[anchor]) continue;
    let t = anchor;
    if (wordIds) while (t > 0 && isEligible(ids, special, wordIds, t - 1) && wordIds[t - 1] === wordIds[t]) t--;
    for (let w = 0; w < words && covered < budget && t < L && isEligible(ids, special, wordIds, t); w++) {
      const wid = wordIds ? wordIds[t] : 0;
      do {
        if (!sel[t]) {
          sel[t] = 1;
          covered++;
        }
        t++;
      } while (wordIds && covered < budget && t < L && isEligible(ids, special, wordIds, t) && wordIds[t] === wid);
    }
  }
  return covered;
}

function isEligible(ids: Int32Array, special: Uint8Array, wordIds: Int32Array | undefined, i: number): boolean {
  return !special[ids[i]] && (!wordIds || wordIds[i] >= 0);
}
