// SimCSE's contrastive loss as plain math (spec §7; princeton-nlp/SimCSE simcse/models.py cl_forward), for the
// model and for tests: S[i, j] = cos(z1_i, z2_j) / tau, hard negatives appended as columns [B, 2B], CE target i.

/** Cosine similarity of rows i of a and j of b ([*, H] row-major), PyTorch's eps on the norm product. */
function cosine(a: Float32Array, i: number, b: Float32Array, j: number, H: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let h = 0; h < H; h++) {
    const x = a[i * H + h];
    const y = b[j * H + h];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.max(Math.sqrt(na * nb), 1e-8);
}

/**
 * Mean cross-entropy over the batch with in-batch negatives. z1, z2 (and z3, the hard negatives) are [B, H];
 * `hardNegativeWeight` is added to the logit of each row's own hard negative (SimCSE's hard_negative_weight).
 * Example: B = 2, H = 2, z1 = z2 = [[1, 0], [0, 1]], tau = 1 -> logits [[1, 0], [0, 1]], loss = log(1 + e^-1).
 */
export function simcseLoss(
  z1: Float32Array,
  z2: Float32Array,
  z3: Float32Array | undefined,
  temperature: number,
  batchSize: number,
  hardNegativeWeight = 0,
): number {
  const B = batchSize;
  if (!(B > 0) || z1.length % B !== 0)
    throw new RangeError(`simcseLoss: z1 has ${z1.length} values, not a multiple of batch ${B}`);
  const H = z1.length / B;
  if (z2.length !== B * H || (z3 && z3.length !== B * H))
    throw new RangeError('simcseLoss: z1, z2 and z3 must all be [B, H]');
  if (!(temperature > 0)) throw new RangeError(`simcseLoss: temperature must be > 0, got ${temperature}`);
  const cols = z3 ? 2 * B : B;
  const row = new Float64Array(cols);
  let total = 0;
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) row[j] = cosine(z1, i, z2, j, H) / temperature;
    if (z3)
      for (let j = 0; j < B; j++)
        row[B + j] = cosine(z1, i, z3, j, H) / temperature + (i === j ? hardNegativeWeight : 0);
    let max = -Infinity;
    for (let j = 0; j < cols; j++) if (row[j] > max) max = row[j];
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(row[j] - max);
    total += max + Math.log(sum) - row[i];
  }
  return total / B;
}
