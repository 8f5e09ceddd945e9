// SimCSE's InfoNCE with its gradient (princeton-nlp/SimCSE models.py cl_forward; spec §7), f64 sums:
// S[i, j] = cos(z1_i, z2_j) / tau, hard negatives as B more columns cos(z1_i, z3_j) / tau (+ hardNegativeWeight on
// j = i), loss = mean_i CE(S[i], i). cos as torch.nn.CosineSimilarity: a.b / sqrt(max(|a|^2 |b|^2, eps^2)), eps 1e-8.

export interface InfoNceResult {
  loss: number;
  /** rows whose highest logit is their own positive (in-batch retrieval accuracy) */
  correct: number;
}

/**
 * z [K*B, H] with the K views of example b at rows b*K + k (SimCSE's interleaved layout: k = 0 anchor, 1 positive,
 * 2 hard negative). Writes dz [K*B, H] = d mean-loss / dz (overwritten) when given.
 */
export function infoNce(
  z: Float32Array,
  B: number,
  K: 2 | 3,
  H: number,
  temperature: number,
  hardNegativeWeight: number,
  dz?: Float32Array,
): InfoNceResult {
  const norm = new Float64Array(K * B);
  for (let r = 0; r < K * B; r++) {
    let s = 0;
    for (let h = 0; h < H; h++) s += z[r * H + h] * z[r * H + h];
    norm[r] = Math.sqrt(s);
  }
  const cols = (K - 1) * B;
  const col = (j: number) => (j < B ? j * K + 1 : (j - B) * K + 2); // row of z for column j
  const cos = (r: number, s: number) => {
    let dot = 0;
    for (let h = 0; h < H; h++) dot += z[r * H + h] * z[s * H + h];
    return dot / Math.sqrt(Math.max(norm[r] * norm[r] * norm[s] * norm[s], 1e-16));
  };
  dz?.fill(0, 0, K * B * H);
  const logits = new Float64Array(cols);
  const c = new Float64Array(cols);
  let total = 0;
  let correct = 0;
  for (let i = 0; i < B; i++) {
    const a = i * K;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) {
      c[j] = cos(a, col(j));
      logits[j] = c[j] / temperature + (j === B + i ? hardNegativeWeight : 0);
      max = Math.max(max, logits[j]);
    }
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(logits[j] - max);
    total += max + Math.log(sum) - logits[i];
    let best = 0;
    for (let j = 1; j < cols; j++) if (logits[j] > logits[best]) best = j;
    if (best === i) correct++;
    if (!dz) continue;
    for (let j = 0; j < cols; j++) {
      const g = (Math.exp(logits[j] - max) / sum - (j === i ? 1 : 0)) / B / temperature; // dL / dcos
      cosineBackward(z, dz, a, col(j), c[j], norm, H, g);
    }
  }
  return { loss: total / B, correct };
}

// dz[r] += g (z_s / (|r||s|) - c z_r / |r|^2), and symmetrically for s (the eps clamp is never active on real vectors).
function cosineBackward(
  z: Float32Array,
  dz: Float32Array,
  r: number,
  s: number,
  c: number,
  norm: Float64Array,
  H: number,
  g: number,
): void {
  const nn = norm[r] * norm[s];
  const rr = norm[r] * norm[r];
  const ss = norm[s] * norm[s];
  for (let h = 0; h < H; h++) {
    const zr = z[r * H + h];
    const zs = z[s * H + h];
    dz[r * H + h] += g * (zs / nn - (c * zr) / rr);
    dz[s * H + h] += g * (zr / nn - (c * zs) / ss);
  }
}

/** Wang & Isola: alignment E ||x - y||^2 over positive pairs and uniformity log E exp(-2 ||x - y||^2) over all pairs of x, on L2-normalised rows [n, H]. */
export function alignmentUniformity(
  x: Float32Array,
  y: Float32Array,
  n: number,
  H: number,
): { alignment: number; uniformity: number } {
  const ux = normalized(x, n, H);
  const uy = normalized(y, n, H);
  const dist2 = (a: Float64Array, i: number, b: Float64Array, j: number) => {
    let s = 0;
    for (let h = 0; h < H; h++) s += (a[i * H + h] - b[j * H + h]) ** 2;
    return s;
  };
  let align = 0;
  for (let i = 0; i < n; i++) align += dist2(ux, i, uy, i);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      sum += Math.exp(-2 * dist2(ux, i, ux, j));
      pairs++;
    }
  }
  return { alignment: align / n, uniformity: pairs > 0 ? Math.log(sum / pairs) : 0 };
}

/** Share of rows i of x whose most cosine-similar row of y is y_i (retrieval accuracy among n candidates). */
export function retrievalAccuracy(x: Float32Array, y: Float32Array, n: number, H: number): number {
  const ux = normalized(x, n, H);
  const uy = normalized(y, n, H);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestSim = -Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let h = 0; h < H; h++) s += ux[i * H + h] * uy[j * H + h];
      if (s > bestSim) {
        bestSim = s;
        best = j;
      }
    }
    if (best === i) hits++;
  }
  return n > 0 ? hits / n : 0;
}

function normalized(x: Float32Array, n: number, H: number): Float64Array {
  const out = new Float64Array(n * H);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let h = 0; h < H; h++) s += x[i * H + h] ** 2;
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let h = 0; h < H; h++) out[i * H + h] = x[i * H + h] * inv;
  }
  return out;
}
