// Frozen-model features: each row of token ids (special tokens included) through the model in eval mode, its final
// hidden states (T5: its encoder's) pooled to one vector: mean over the row's tokens, the first token ([CLS]: BERT, ELECTRA) or the last (GPT-2,
// the only position that has seen the whole row).
import { ensure } from '../errors.js';
import type { Model, ModelBatch, ModelConfig, T5Model } from '../model/index.js';
import { DenseFeatures } from './features.js';

export type Pooling = 'mean' | 'cls' | 'last';

/** The poolings a model family supports, the default first. */
export function poolingsOf(config: ModelConfig): Pooling[] {
  return config.model_type === 'gpt2' ? ['mean', 'last'] : ['mean', 'cls'];
}

/** Progress of a long evaluation: `done` of `total` units. */
export type OnProgress = (done: number, total: number) => void;

const BATCH = 16;

/** Pooled final hidden states [rows.length, C] of the rows, right-padded with `padId` in batches of 16. */
export function embedRows(
  model: Model,
  rows: readonly Int32Array[],
  pooling: Pooling,
  padId: number,
  onProgress?: OnProgress,
): DenseFeatures {
  ensure(
    poolingsOf(model.config).includes(pooling),
    `pooling ${pooling} does not apply to a ${model.config.model_type} model (${poolingsOf(model.config).join(', ')})`,
  );
  const c = model.config;
  const C = c.model_type === 'gpt2' ? c.n_embd : c.model_type === 't5' ? c.d_model : c.hidden_size;
  const out = new Float32Array(rows.length * C);
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const B = batch.length;
    const T = Math.max(...batch.map((r) => r.length));
    ensure(
      batch.every((r) => r.length > 0),
      'embed: an empty row',
    );
    const input_ids = new Int32Array(B * T).fill(padId);
    const attention_mask = new Uint8Array(B * T);
    batch.forEach((r, b) => {
      input_ids.set(r, b * T);
      attention_mask.fill(1, b * T, b * T + r.length);
    });
    const hidden = finalHidden(model, { batchSize: B, length: T, input_ids, attention_mask }); // [B*T, C]
    batch.forEach((r, b) =>
      poolRow(hidden, b * T, r.length, C, pooling, out.subarray((start + b) * C, (start + b + 1) * C)),
    );
    onProgress?.(Math.min(start + BATCH, rows.length), rows.length);
  }
  return new DenseFeatures(out, rows.length, C);
}

// [B*T, C] the last layer's states in eval mode: an encoder-decoder's are its encoder's (the decoder needs targets).
function finalHidden(model: Model, batch: ModelBatch): Float32Array {
  if (model.config.model_type === 't5') return (model as T5Model).encode(batch);
  return model.forward(batch).hidden as Float32Array;
}

// out[C] = the pooled rows first .. first+len of hidden[*, C].
function poolRow(
  hidden: Float32Array,
  first: number,
  len: number,
  C: number,
  pooling: Pooling,
  out: Float32Array,
): void {
  if (pooling !== 'mean') {
    const t = pooling === 'cls' ? first : first + len - 1;
    out.set(hidden.subarray(t * C, (t + 1) * C));
    return;
  }
  const sum = new Float64Array(C);
  for (let t = first; t < first + len; t++) for (let c = 0; c < C; c++) sum[c] += hidden[t * C + c];
  for (let c = 0; c < C; c++) out[c] = sum[c] / len;
}
