// Counter-based, seedable random streams: a stream is keyed by (seed, epoch, example index, purpose), so what an
// example gets never depends on batch size, batch order or worker count (fairseq's model; spec Part A).
// Generator: xoshiro128** (Blackman & Vigna), seeded from a 128-bit hash of the key. Seed 0 is a real seed.

/** The key of one random stream. `purpose` names what the draws are for ("mlm.select", "nsp.pair", ...). */
export interface RngKey {
  seed: number;
  epoch?: number;
  index?: number;
  purpose?: string | number;
}

const TWO_POW_32 = 4294967296;
const INV_2_32 = 1 / TWO_POW_32;
const INV_2_53 = 1 / 9007199254740992;

/** FNV-1a over the UTF-16 code units of a string, as a uint32. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// murmur3's 32-bit finaliser: a bijection that spreads every input bit.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Low and high 32-bit words of a non-negative integer below 2^53.
function lo32(x: number, name: string): number {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`rng: ${name} must be a non-negative integer, got ${x}`);
  return x >>> 0;
}

function hi32(x: number): number {
  return Math.floor(x / TWO_POW_32) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1; // xoshiro's one forbidden state
  }

  /** The stream for one key. Different keys give statistically independent streams. Allocation-free. */
  static fromKey(key: RngKey): Rng {
    const purpose = key.purpose ?? 0;
    const p = typeof purpose === 'number' ? lo32(purpose, 'purpose') : hashString(purpose);
    const seed = key.seed,
      epoch = key.epoch ?? 0,
      index = key.index ?? 0;
    const s0 = lo32(seed, 'seed'),
      s1 = hi32(seed);
    const e0 = lo32(epoch, 'epoch'),
      e1 = hi32(epoch);
    const i0 = lo32(index, 'index'),
      i1 = hi32(index);
    // Four lanes, each a chained hash of every key word with its own starting constant.
    const lane = (h: number, k: number): number => {
      h = fmix32((h ^ s0) + k);
      h = fmix32((h ^ s1) + k);
      h = fmix32((h ^ e0) + k);
      h = fmix32((h ^ e1) + k);
      h = fmix32((h ^ i0) + k);
      h = fmix32((h ^ i1) + k);
      return fmix32((h ^ p) + k);
    };
    const rng = new Rng(
      lane(0x9e3779b9, 0x27d4eb2d),
      lane(0x7f4a7c15, 0x4fa9d65a),
      lane(0x85ebca6b, 0x777ec187),
      lane(0xc2b2ae35, 0x9f53acb4),
    );
    for (let i = 0; i < 4; i++) rng.nextU32(); // decorrelate nearby keys further
    return rng;
  }

  /** Shorthand for `Rng.fromKey({ seed, epoch, index, purpose })`. */
  static of(seed: number, epoch: number, index: number, purpose: string | number): Rng {
    return Rng.fromKey({ seed, epoch, index, purpose });
  }

  /** A child stream for a sub-purpose, derived from this stream's next draws (this stream advances). */
  fork(purpose: string | number): Rng {
    const p = typeof purpose === 'number' ? purpose >>> 0 : hashString(purpose);
    return new Rng(
      fmix32(this.nextU32() ^ p),
      fmix32(this.nextU32() + p),
      fmix32(this.nextU32() ^ 0x5bd1e995),
      fmix32(this.nextU32() ^ Math.imul(p, 0x27d4eb2d)),
    );
  }

  /** The generator state, for checkpoints. */
  getState(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4) throw new RangeError('rng: a state has 4 words');
    return new Rng(state[0], state[1], state[2], state[3]);
  }

  /** Uniform uint32. */
  nextU32(): number {
    const a = this.a,
      b = this.b,
      c = this.c,
      d = this.d;
    const t = Math.imul(b, 5);
    const r = Math.imul((t << 7) | (t >>> 25), 9) >>> 0;
    const s = b << 9;
    const c2 = c ^ a;
    const d2 = d ^ b;
    this.b = (b ^ c2) >>> 0;
    this.a = (a ^ d2) >>> 0;
    this.c = (c2 ^ s) >>> 0;
    this.d = ((d2 << 11) | (d2 >>> 21)) >>> 0;
    return r;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (fast path for Bernoulli draws). */
  float(): number {
    return this.nextU32() * INV_2_32;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  double(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * INV_2_53;
  }

  /** Uniform integer in [0, n), unbiased (rejection of the short tail), n in [1, 2^32]. */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n))
      throw new RangeError(`rng.int: n must be an integer in [1, 2^32], got ${n}`);
    if (n === TWO_POW_32) return this.nextU32();
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const u = this.nextU32();
      if (u < limit) return u % n;
    }
  }

  /** Uniform integer in [lo, hi], both ends inclusive (Python's randint). */
  intBetween(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`rng.intBetween: empty range [${lo}, ${hi}]`);
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.double() < p;
  }

  /** Standard normal (Box-Muller; one value per call). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.double();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.double());
  }

  /** Geometric on {1, 2, ...} with success probability p: number of trials up to the first success. */
  geometric(p: number): number {
    if (!(p > 0 && p <= 1)) throw new RangeError(`rng.geometric: p must be in (0, 1], got ${p}`);
    if (p === 1) return 1;
    let u = 0;
    while (u === 0) u = this.double();
    return Math.max(1, Math.ceil(Math.log(u) / Math.log1p(-p)));
  }

  /** Poisson(lambda) by inversion (lambda up to a few hundred). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new RangeError(`rng.poisson: lambda must be >= 0, got ${lambda}`);
    const u = this.double();
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    while (u > cdf && k < 10000) {
      k++;
      p *= lambda / k;
      cdf += p;
      if (p === 0) break;
    }
    return k;
  }

  /** Index drawn with probability proportional to weights[i] (weights >= 0, not all zero). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let u = this.double() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: any }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** k distinct integers from [0, n), in the order drawn (partial Fisher-Yates over a sparse map). */
  sample(n: number, k: number): number[] {
    if (k > n || k < 0) throw new RangeError(`rng.sample: cannot draw ${k} distinct values from ${n}`);
    const swapped = new Map<number, number>();
    const out: number[] = new Array(k);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const vj = swapped.get(j) ?? j;
      out[i] = vj;
      swapped.set(j, swapped.get(i) ?? i);
    }
    return out;
  }

  /** Fill `out` with uniform uint32 values. */
  fillU32(out: Uint32Array): Uint32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.nextU32();
    return out;
  }
}
