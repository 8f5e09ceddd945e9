// T5's random_spans_noise_mask (spec §5.2; t5/data/preprocessors.py): noise spans alternate with kept spans,
// starting with kept, all masks with the given counts equally likely. First token never noise, last always
// (text-to-text-transfer-transformer#905) unless randomRoll rotates the mask.
import type { Rng } from '../../rng/rng.js';
import { roundHalfEven } from '../round.js';

/** Noise tokens and noise spans for a row of `length` (T5 works on max(length, 2) and truncates). */
export function noiseCounts(
  length: number,
  noiseDensity: number,
  meanNoiseSpanLength: number,
): { noise: number; spans: number } {
  const n = Math.max(length, 2);
  const noise = Math.min(Math.max(roundHalfEven(n * noiseDensity), 1), n - 1);
  return { noise, spans: Math.max(1, roundHalfEven(noise / meanNoiseSpanLength)) };
}

// Scratch reused across calls (no per-row allocation): gap marks (kept all-zero between calls), cut positions,
// segment lengths, the unrolled mask.
let cutBuf = new Uint8Array(1024);
let cutPos = new Int32Array(256);
let keepBuf = new Int32Array(256);
let noiseBuf = new Int32Array(256);
let rollBuf = new Uint8Array(1024);

/**
 * T5's _random_segmentation: `items` split into `segs` parts, uniform over compositions (segs - 1 distinct cut gaps,
 * Floyd's sampling). More parts than items: the extra parts are empty, as in T5's segment_sum.
 */
function segment(items: number, segs: number, rng: Rng, lens: Int32Array): void {
  const gaps = items - 1;
  const k = Math.min(segs, items) - 1;
  if (cutBuf.length < gaps) cutBuf = new Uint8Array(gaps * 2);
  if (cutPos.length < k) cutPos = new Int32Array(k * 2);
  const cut = cutBuf;
  for (let j = gaps - k, n = 0; j < gaps; j++, n++) {
    const t = rng.int(j + 1);
    const c = cut[t] ? j : t;
    cut[c] = 1;
    cutPos[n] = c;
  }
  const pos = cutPos.subarray(0, k).sort();
  let prev = -1;
  for (let s = 0; s < k; s++) {
    lens[s] = pos[s] - prev;
    prev = pos[s];
    cut[pos[s]] = 0;
  }
  lens[k] = gaps - prev;
  for (let s = k + 1; s < segs; s++) lens[s] = 0;
}

/**
 * The span layout of a row of `length` >= 2 with density > 0: kept and noise span lengths, alternating kept first
 * (keep[s] then noise[s]). Scratch arrays, valid until the next call; draws exactly what fillNoiseMask draws.
 */
export function drawSpans(
  length: number,
  noiseDensity: number,
  meanNoiseSpanLength: number,
  rng: Rng,
): { keep: Int32Array; noise: Int32Array; spans: number } {
  const { noise, spans } = noiseCounts(length, noiseDensity, meanNoiseSpanLength);
  if (keepBuf.length < spans) {
    keepBuf = new Int32Array(spans * 2);
    noiseBuf = new Int32Array(spans * 2);
  }
  segment(noise, spans, rng, noiseBuf);
  segment(Math.max(length, 2) - noise, spans, rng, keepBuf);
  return { keep: keepBuf, noise: noiseBuf, spans };
}

/** Writes the noise mask of a row of `length` into out[0, length) (1 = noise). */
export function fillNoiseMask(
  out: Uint8Array,
  length: number,
  noiseDensity: number,
  meanNoiseSpanLength: number,
  rng: Rng,
  randomRoll = false,
): void {
  if (noiseDensity === 0) {
    out.fill(0, 0, length);
    return;
  }
  const n = Math.max(length, 2);
  const { keep, noise, spans } = drawSpans(length, noiseDensity, meanNoiseSpanLength, rng);
  if (rollBuf.length < n) rollBuf = new Uint8Array(n * 2);
  const full = randomRoll || n > length ? rollBuf : out;
  let p = 0;
  for (let s = 0; s < spans; s++) {
    full.fill(0, p, (p += keep[s]));
    full.fill(1, p, (p += noise[s]));
  }
  if (full === out) return;
  // tf.roll(mask, offset): position i moves to (i + offset) mod n; then truncate to the row length.
  const offset = randomRoll ? rng.int(n) : 0;
  for (let j = 0; j < length; j++) out[j] = full[(j - offset + n) % n];
}

/** T5's noise mask for a row of `length`: Uint8Array [length], 1 = noise. */
export function randomSpansNoiseMask(
  length: number,
  noiseDensity: number,
  meanNoiseSpanLength: number,
  rng: Rng,
  opts: { randomRoll?: boolean } = {},
): Uint8Array {
  const out = new Uint8Array(length);
  fillNoiseMask(out, length, noiseDensity, meanNoiseSpanLength, rng, opts.randomRoll ?? false);
  return out;
}
