// Dropout sites: active only in training (an rng is given) with p > 0; inactive sites pass their input through
// without a copy, so callers use the returned buffer.
import { drawKeepMask, type AttentionDropout, type Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';

/** y = dropout(x) in `out` (keep mask saved) when active; else x itself. */
export function dropoutSite(
  engine: Engine,
  out: Float32Array,
  keep: Uint8Array,
  x: Float32Array,
  n: number,
  p: number,
  rng: Rng | undefined,
): Float32Array {
  if (rng === undefined || p === 0) return x;
  engine.dropoutForward(out, keep, x, n, p, rng);
  return out;
}

/** dx = dy * keep / (1 - p) in `out` when the forward site was active; else dy itself. */
export function dropoutSiteBackward(
  engine: Engine,
  out: Float32Array,
  dy: Float32Array,
  keep: Uint8Array,
  n: number,
  p: number,
  training: boolean,
): Float32Array {
  if (!training || p === 0) return dy;
  engine.dropoutBackward(out, dy, keep, n, p, false);
  return out;
}

/** Attention-probability dropout for the forward: keep[n = B*H*T*T] drawn from rng when active; else undefined. */
export function attentionDropoutSite(
  keep: Uint8Array,
  n: number,
  p: number,
  rng: Rng | undefined,
): AttentionDropout | undefined {
  if (rng === undefined || p === 0) return undefined;
  drawKeepMask(keep, n, p, rng);
  return { p, keep };
}

/** The same site for the backward: the forward's keep mask when it was active; else undefined. */
export function attentionDropoutSiteBackward(
  keep: Uint8Array,
  p: number,
  training: boolean,
): AttentionDropout | undefined {
  return training && p > 0 ? { p, keep } : undefined;
}
