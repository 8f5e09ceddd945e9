// Bulk uint32 draws for hot loops. Rng keeps its state in object fields; here a xoshiro128** (same generator) runs
// in local int32 variables, seeded by four draws of the row's Rng, so a row's draws stay a function of its key.
import type { Rng } from '../../rng/rng.js';

/** out[0..n) = uint32 draws of a child stream of `rng` (rng advances by 4 draws). */
export function fillDraws(out: Uint32Array, n: number, rng: Rng): Uint32Array {
  let a = rng.nextU32() | 0;
  let b = rng.nextU32() | 0;
  let c = rng.nextU32() | 0;
  let d = rng.nextU32() | 0;
  if ((a | b | c | d) === 0) d = 1;
  for (let i = 0; i < n; i++) {
    const t = Math.imul(b, 5);
    out[i] = Math.imul((t << 7) | (t >>> 25), 9);
    const s = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= s;
    d = (d << 11) | (d >>> 21);
  }
  return out;
}

/** Uniform integer in [0, n) from a uint32 draw u (Lemire's multiply-shift); -1 in the rejected sliver (probability
 * (2^32 mod n) / 2^32), where the caller draws again: accepting the rest keeps the result exactly uniform. */
export function boundedDraw(u: number, n: number): number {
  const m = u * n; // exact: below 2^53 for n < 2^21
  return m % 4294967296 < 4294967296 % n ? -1 : Math.floor(m / 4294967296);
}
