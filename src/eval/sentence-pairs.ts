// Sentence-embedding figures on held-out pairs (x_i, y_i): each side embedded in eval mode, by a SimCSE model's
// evaluation pooler (its forward without a second view) or, for any other encoder, its final hidden states pooled
// (mean by default: the baseline SimCSE is measured against), then Wang & Isola's alignment (mean ||x - y||^2 over
// pairs) and uniformity (log mean exp(-2 ||x - x'||^2) over all pairs of x), on L2-normalised vectors, and retrieval
// accuracy: the share of x_i whose most cosine-similar y among all n is y_i.
import { ensure } from '../errors.js';
import { alignmentUniformity, retrievalAccuracy, type Model } from '../model/index.js';
import { embedRows, type Pooling } from './embed.js';

export interface PairFigures {
  alignment: number;
  uniformity: number;
  retrieval: number;
  pairs: number;
}

const BATCH = 32;

/** Pooled vectors [rows.length, C] of the rows (right-padded with padId in batches of 32, no dropout). */
export function embedSentences(model: Model, rows: readonly Int32Array[], padId: number): Float32Array {
  let out: Float32Array | undefined;
  let C = 0;
  for (let start = 0; start < rows.length; start += BATCH) {
    const part = rows.slice(start, start + BATCH);
    const B = part.length;
    const T = Math.max(...part.map((r) => r.length));
    ensure(
      part.every((r) => r.length > 0),
      'embed: an empty sentence',
    );
    const input_ids = new Int32Array(B * T).fill(padId);
    const attention_mask = new Uint8Array(B * T);
    part.forEach((r, b) => {
      input_ids.set(r, b * T);
      attention_mask.fill(1, b * T, b * T + r.length);
    });
    const pooled = model.forward({ batchSize: B, length: T, input_ids, attention_mask }).pooled;
    ensure(pooled !== undefined, 'embed: the model gives no sentence vectors (pooled)');
    C = pooled.length / B;
    out ??= new Float32Array(rows.length * C);
    out.set(pooled, start * C);
  }
  return out ?? new Float32Array(0);
}

/** Alignment, uniformity and retrieval accuracy over the pairs: the model's own sentence vectors, or `pooling` of its hidden states. */
export function pairFigures(
  model: Model,
  pairs: readonly { x: Int32Array; y: Int32Array }[],
  padId: number,
  pooling?: Pooling,
): PairFigures {
  const n = pairs.length;
  ensure(n >= 2, `sentence pairs: ${n} held-out pairs, at least 2 are needed`);
  const embed = (rows: Int32Array[]) =>
    pooling === undefined
      ? embedSentences(model, rows, padId)
      : Float32Array.from(embedRows(model, rows, pooling, padId).data);
  const x = embed(pairs.map((p) => p.x));
  const y = embed(pairs.map((p) => p.y));
  const C = x.length / n;
  return { ...alignmentUniformity(x, y, n, C), retrieval: retrievalAccuracy(x, y, n, C), pairs: n };
}
