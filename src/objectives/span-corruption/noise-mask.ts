// T5's random_spans_noise_mask (spec §5.2; t5/data/preprocessors.py): noise spans alternate with kept spans,
// starting with kept, all masks with the given counts equally likely. First token never noise, last always
// (text-to-text-transfer-transformer#905) unless randomRoll rotates the mask.
import type { Rng } from '../../rng/rng.js';
import { roundHalfEven } from '../round.js';

/** Noise tokens and noise spans for a row of `length` (T5 works on max(length, 2) and truncates). */
export function noiseCounts(length: number, noiseDensity: number, meanNoiseSpanLength: number): { noise: number; spans: number } {
  const n = Math.max(length, 2);
  const noise = Math.min(Math.max(roundHalfEven(n * noiseDensity), 1), n - 1);
  return { noise, spans: Math.max(1, roundHalfEven(noise / meanNoiseSpanLength)) };
}

// Scratch reused across calls (no per-row allocation): gap marks, segment lengths, the unrolled mask.
let cutBuf = new Uint8Array(1024);
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
  const cut = cutBuf;
  cut.fill(0, 0, gaps);
  for (let j = gaps - k; j < gaps; j++) {
    const t = rng.int(j + 1);
    if (cut[t]) cut[j] = 1;
    else cut[t] = 1;
  }
  let s = 0;
  let len = 1;
  for (let g = 0; g < gaps; g++) {
    if (cut[g]) {
      lens[s++] = len;
      len = 1;
    } else len++;
  }
  lens[s++] = len;
  for (; s < segs; s++) lens[s] = 0;
}

/** Writes the noise mask of a row of `length` into out[0, length) (1 = noise). */
export function fillNoiseMask(out: Uint8Array, length: number, noiseDensity: number, meanNoiseSpanLength: number, rng: Rng, randomRoll = false): void {
  if (noiseDensity === 0) {
    out.fill(0, 0, length);
    return;
  }
  const n = Math.max(length, 2);
  const { noise, spans } = noiseCounts(length, noiseDensity, meanNoiseSpanLength);
  if (keepBuf.length < spans) {
    keepBuf = new Int32Array(spans * 2);
    noiseBuf = new Int32Array(spans * 2);
  }
  segment(noise, spans, rng, noiseBuf);
  segment(n - noise, spans, rng, keepBuf);
  if (rollBuf.length < n) rollBuf = new Uint8Array(n * 2);
  const full = randomRoll || n > length ? rollBuf : out;
  let p = 0;
  for (let s = 0; s < spans; s++) {
    full.fill(0, p, (p += keepBuf[s]));
    full.fill(1, p, (p += noiseBuf[s]));
  }
  if (full === out) return;
  // tf.roll(mask, offset): position i moves to (i + offset) mod n; then truncate to the row length.
  const offset = randomRoll ? rng.int(n) : 0;
  for (let j = 0; j < length; j++) out[j] = full[(j - offset + n) % n];
}

/** T5's noise mask for a row of `length`: Uint8Array [length], 1 = noise. */
export function randomSpansNoiseMask(length: number, noiseDensity: number, meanNoiseSpanLength: number, rng: Rng, opts: { randomRoll?: boolean } = {}): Uint8Array {
  const out = new Uint8Array(length);
  fillNoiseMask(out, length, noiseDensity, meanNoiseSpanLength, rng, opts.randomRoll ?? false);
  return out;
}
