// T5's relative position buckets (HF T5Attention._relative_position_bucket): relative position = key - query;
// bidirectional (encoder) halves the buckets between keys after and before the query, unidirectional (decoder)
// sees only the past. Half of a side's buckets are exact distances, the rest grow logarithmically up to
// max_distance, beyond which every distance shares the last bucket. The log part runs in float32 as torch does.

const f32 = Math.fround;

/** The bucket of `relative` (key position - query position). */
export function relativePositionBucket(
  relative: number,
  bidirectional: boolean,
  numBuckets: number,
  maxDistance: number,
): number {
  let bucket = 0;
  let n = numBuckets;
  let r = relative;
  if (bidirectional) {
    n = Math.floor(n / 2);
    if (r > 0) bucket += n;
    r = Math.abs(r);
  } else {
    r = -Math.min(r, 0);
  }
  const maxExact = Math.floor(n / 2);
  if (r < maxExact) return bucket + r;
  const ratio = f32(f32(Math.log(f32(r / maxExact))) / f32(Math.log(maxDistance / maxExact)));
  const large = maxExact + Math.trunc(f32(ratio * (n - maxExact)));
  return bucket + Math.min(large, n - 1);
}

/** buckets[i * Tk + j] for query i and key j (HF compute_bias's [query_length, key_length] table). */
export function fillBuckets(
  buckets: Int32Array,
  Tq: number,
  Tk: number,
  bidirectional: boolean,
  numBuckets: number,
  maxDistance: number,
): void {
  for (let i = 0; i < Tq; i++)
    for (let j = 0; j < Tk; j++)
      buckets[i * Tk + j] = relativePositionBucket(j - i, bidirectional, numBuckets, maxDistance);
}
