// Batch -> engine inputs: checked ids copied into engine memory, default positions, and the additive attention mask.
import { ensure } from '../errors.js';
import type { ModelBatch } from './model.js';

/** torch.finfo(torch.float32).min: HF's additive value for a blocked key ((1 - mask) * min, modeling_bert.py). */
export const MASK_MIN = -3.4028234663852886e38;

/** Check the batch's array lengths against B and T. */
export function checkBatch(batch: ModelBatch): void {
  const { batchSize: B, length: T } = batch;
  ensure(
    Number.isInteger(B) && B > 0 && Number.isInteger(T) && T > 0,
    `batch: batchSize ${B} and length ${T} must be positive integers`,
  );
  const N = B * T;
  ensure(batch.input_ids.length === N, `batch: input_ids has ${batch.input_ids.length} ids, expected B*T = ${N}`);
  for (const key of ['token_type_ids', 'position_ids'] as const) {
    const a = batch[key];
    ensure(a === undefined || a.length === N, () => `batch: ${key} has ${a?.length} entries, expected B*T = ${N}`);
  }
  const Td = batch.decoderLength;
  ensure(Td === undefined || (Number.isInteger(Td) && Td > 0), `batch: decoderLength ${Td} must be a positive integer`);
  const NL = Td === undefined ? N : B * Td;
  for (const key of ['labels', 'decoder_input_ids', 'decoder_attention_mask'] as const) {
    const a = batch[key];
    ensure(
      a === undefined || a.length === NL,
      () => `batch: ${key} has ${a?.length} entries, expected ${Td === undefined ? 'B*T' : 'B*decoderLength'} = ${NL}`,
    );
  }
  const m = batch.attention_mask;
  ensure(
    m === undefined || m.length === N || m.length === N * T,
    () => `batch: attention_mask has ${m?.length} entries, expected B*T = ${N} or B*T*T = ${N * T}`,
  );
  const s = batch.next_sentence_label;
  ensure(
    s === undefined || s.length === B,
    () => `batch: next_sentence_label has ${s?.length} entries, expected B = ${B}`,
  );
}

/** out[n] = src[n] (or `fill` when src is absent), each in [0, limit). */
export function copyIds(
  out: Int32Array,
  src: Int32Array | undefined,
  n: number,
  limit: number,
  what: string,
  fill = 0,
): void {
  if (src === undefined) {
    out.fill(fill, 0, n);
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = src[i];
    ensure(v >= 0 && v < limit, () => `batch: ${what} ${v} at ${i} is outside [0, ${limit})`);
    out[i] = v;
  }
}

/**
 * out[B*T] = the embedding rows of position_ids, or of 0..T-1 per row: each position in [0, limit) plus `offset`
 * (RoBERTa's rows start after padding_idx).
 */
export function copyPositions(out: Int32Array, batch: ModelBatch, limit: number, offset = 0): void {
  const { batchSize: B, length: T } = batch;
  ensure(batch.position_ids !== undefined || T <= limit, `batch: length ${T} exceeds the model's ${limit} positions`);
  if (batch.position_ids !== undefined) {
    copyIds(out, batch.position_ids, B * T, limit, 'position id');
    if (offset !== 0) for (let i = 0; i < B * T; i++) out[i] += offset;
    return;
  }
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out[b * T + t] = t + offset;
}

/** Labels checked to be -100 or in [0, V). */
export function checkLabels(labels: Int32Array, V: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    ensure(v === -100 || (v >= 0 && v < V), () => `batch: label ${v} at ${i} is outside [0, ${V}) and not -100`);
  }
}

/**
 * mask[B, T, T] = 0 where query i may attend key j, MASK_MIN where not: from a padding mask [B*T] (keys), a dense
 * mask [B*T*T], and `causal` (j <= i). Returns false when nothing is blocked (the caller can pass no mask).
 */
export function fillAttentionMask(mask: Float32Array, batch: ModelBatch, causal: boolean): boolean {
  const { batchSize: B, length: T } = batch;
  const m = batch.attention_mask;
  const dense = m !== undefined && m.length === B * T * T && T > 1;
  const prefix = batch.prefix_length; // a prefix LM's keys [0, prefix_length) are seen by every query
  let blocked = false;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < T; i++) {
      const row = (b * T + i) * T;
      for (let j = 0; j < T; j++) {
        const ok =
          (!causal || j <= i || (prefix !== undefined && j < prefix[b])) &&
          (m === undefined || (dense ? m[row + j] : m[b * T + j]) !== 0);
        mask[row + j] = ok ? 0 : MASK_MIN;
        if (!ok) blocked = true;
      }
    }
  }
  return blocked;
}
