// Test helpers shared by the reference and wasm engine tests: seeded random tensors, a relative error, and central
// finite differences in f64.
import { Rng } from '../../rng/rng.js';

/** n standard-normal draws times `scale`, from a stream keyed by `purpose`. */
export function randn(n: number, purpose: string, scale = 1): Float64Array {
  const rng = Rng.of(1234, 0, 0, purpose);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

/** The same draws as f32. */
export function randnF32(n: number, purpose: string, scale = 1): Float32Array {
  return Float32Array.from(randn(n, purpose, scale));
}

/** max |got - want| / max |want| (0 when both are all zero). */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`relErr: lengths ${got.length} and ${want.length} differ`);
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    ref = Math.max(ref, Math.abs(want[i]));
  }
  if (Number.isNaN(diff)) return Infinity;
  return ref === 0 ? diff : diff / ref;
}

/** dot(a, b) in f64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** d loss / d x by central differences, perturbing x in place (restored); loss reruns the forward. */
export function numericGrad(loss: () => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + h;
    const up = loss();
    x[i] = x0 - h;
    const down = loss();
    x[i] = x0;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}
