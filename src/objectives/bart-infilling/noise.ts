// fairseq DenoisingDataset noise functions (spec §5.6; fairseq/data/denoising_dataset.py), on Int32Array rows.
// Rows are [first ... last] (BOS ... EOS in fairseq): the first and last positions are never noised.
import type { Rng } from '../../rng/rng.js';

/** Poisson(lambda) pmf over k = 0, 1, ..., up to and including the first k with pmf < 1e-7 (cap 128), as a CDF. */
export function poissonCdf(lambda: number): Float64Array {
  const ps: number[] = [];
  let p = Math.exp(-lambda);
  for (let k = 0; k < 128; k++) {
    ps.push(p);
    if (p < 1e-7) break;
    p *= lambda / (k + 1);
  }
  const cdf = new Float64Array(ps.length);
  let total = 0;
  for (let k = 0; k < ps.length; k++) cdf[k] = total += ps[k];
  for (let k = 0; k < cdf.length; k++) cdf[k] /= total;
  return cdf;
}

function drawLength(cdf: Float64Array, rng: Rng): number {
  const u = rng.double();
  let k = 0;
  while (k < cdf.length - 1 && u >= cdf[k]) k++;
  return k;
}

/** is_word_start [L]: a token whose word id differs from the previous token's (every token without word ids); ends 0. */
export function wordStarts(L: number, wordIds?: ArrayLike<number>, order?: ArrayLike<number>): Uint8Array {
  const s = new Uint8Array(L);
  for (let i = 1; i < L - 1; i++)
    s[i] = !wordIds ? 1 : order ? +(wordIds[order[i]] !== wordIds[order[i - 1]]) : +(wordIds[i] !== wordIds[i - 1]);
  return s;
}

/** Noise spans in words: distinct start positions and lengths (sum = ceil(#starts x mask)); zero-length draws become inserts. */
export interface SpanPlan {
  starts: Int32Array;
  lengths: Int32Array;
  /** per span: replaced by a random id instead of <mask> */
  random: Uint8Array;
  inserts: number;
}

/** Span lengths drawn until their sum reaches the budget, the last trimmed so the sum is exactly `budget`. */
export function drawSpanLengths(budget: number, cdf: Float64Array, rng: Rng): number[] {
  const lengths: number[] = [];
  let sum = 0;
  while (sum < budget) {
    const k = drawLength(cdf, rng);
    lengths.push(Math.min(k, budget - sum));
    sum += k;
  }
  return lengths;
}

/** fairseq add_whole_word_mask's draws: budget, Poisson lengths, uniform distinct word starts, random flags. */
export function planSpans(
  isStart: Uint8Array,
  mask: number,
  maskRandom: number,
  cdf: Float64Array,
  rng: Rng,
): SpanPlan {
  const startPos: number[] = [];
  for (let i = 0; i < isStart.length; i++) if (isStart[i]) startPos.push(i);
  const budget = Math.ceil(startPos.length * mask);
  const all = budget > 0 ? drawSpanLengths(budget, cdf, rng) : [];
  const lengths = Int32Array.from(all.filter((k) => k > 0));
  const inserts = all.length - lengths.length;
  const n = lengths.length;
  const starts = Int32Array.from(rng.sample(startPos.length, n), (j) => startPos[j]);
  const random = new Uint8Array(n);
  for (let s = 0; s < n; s++) random[s] = +(rng.float() < maskRandom);
  return { starts, lengths, random, inserts };
}

/** Applies a plan: span starts become <mask> (or a random id), the rest of each span is deleted (replaceLength 1),
 * everything deleted (0) or every token masked (-1). Overlapping spans merge. Returns the kept tokens. */
export function applySpans(
  source: Int32Array,
  isStart: Uint8Array,
  plan: SpanPlan,
  replaceLength: number,
  maskId: number,
  regular: Int32Array,
  rng: Rng,
): Int32Array {
  const L = source.length;
  const out = source.slice();
  const keep = new Uint8Array(L).fill(1);
  const put = (pos: number, s: number) => (out[pos] = plan.random[s] ? regular[rng.int(regular.length)] : maskId);
  for (let s = 0; s < plan.starts.length; s++) {
    let pos = plan.starts[s];
    if (replaceLength === 0) keep[pos] = 0;
    else put(pos, s);
    // extend through `length` words; the last position acts as a word start that ends every span (fairseq's 255)
    let left = plan.lengths[s] - 1;
    while (pos + 1 < L - 1) {
      left -= isStart[pos + 1];
      if (left < 0) break;
      pos++;
      if (replaceLength === -1) put(pos, s);
      else keep[pos] = 0;
    }
  }
  let n = 0;
  for (let i = 0; i < L; i++) if (keep[i]) out[n++] = out[i];
  return out.slice(0, n);
}

/** fairseq add_insertion_noise: n <mask>/random tokens at distinct positions in [1, len + n - 2]; the first ceil(n x maskRandom) drawn are random. */
export function insertNoise(
  tokens: Int32Array,
  n: number,
  maskRandom: number,
  maskId: number,
  regular: Int32Array,
  rng: Rng,
): Int32Array {
  if (n <= 0 || tokens.length < 2) return tokens;
  const total = tokens.length + n;
  const pos = rng.sample(total - 2, n);
  const out = new Int32Array(total).fill(-1);
  const numRandom = Math.ceil(n * maskRandom);
  for (let j = 0; j < n; j++) out[pos[j] + 1] = j < numRandom ? regular[rng.int(regular.length)] : maskId;
  let t = 0;
  for (let i = 0; i < total; i++) if (out[i] === -1) out[i] = tokens[t++];
  return out;
}

/** fairseq add_rolling_noise: [first, x[offset:-1], x[1:offset], last] with offset uniform in [1, max(1, L - 1)]. */
export function rollTokens(tokens: Int32Array, rng: Rng): Int32Array {
  const L = tokens.length;
  const offset = 1 + rng.int(Math.max(1, L - 1));
  if (L < 3) return tokens;
  const out = new Int32Array(L);
  out[0] = tokens[0];
  out.set(tokens.subarray(offset, L - 1), 1);
  out.set(tokens.subarray(1, offset), L - offset);
  out[L - 1] = tokens[L - 1];
  return out;
}

/**
 * fairseq permute_sentences as an order [L] (new position -> old): sentences end after a run of full stops, the
 * token before the last always ends one; ceil(#sentences x p) of them are shuffled among their places.
 */
export function permuteSentenceOrder(ids: Int32Array, fullStopId: number, p: number, rng: Rng): Int32Array {
  const L = ids.length;
  const order = Int32Array.from({ length: L }, (_, i) => i);
  if (L < 3) return order;
  const stop = (i: number) => ids[i] === fullStopId || i === L - 2;
  const ends: number[] = [];
  for (let i = 1; i < L; i++) if (stop(i) && !stop(i - 1)) ends.push(i + 1);
  const n = ends.length;
  const k = Math.ceil((n * 2 * p) / 2);
  const subs = rng.sample(n, k);
  const perm = rng.sample(k, k);
  const ordering = Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < k; j++) ordering[subs[j]] = subs[perm[j]];
  let index = 1;
  for (const s of ordering) {
    for (let i = s > 0 ? ends[s - 1] : 1; i < ends[s]; i++) order[index++] = i;
  }
  return order;
}
