// Attention masks as data: [B, L, L] flat, out[(b * L + i) * L + j] = 1 when query i may attend key j.
// Padding keys (attention_mask 0) are never attended; a padding query's row follows the same rule (the loss
// ignores it). prefix: T5 prefix LM / UL2 S-denoiser; document: block-diagonal causal over document_ids (packing).
import { ensure } from '../errors.js';
import type { Batch } from './pad.js';

export type AttentionKind = 'bidirectional' | 'causal' | 'prefix' | 'document';

export interface AttentionOptions {
  /** 'prefix': per row, the number of leading real tokens that attend bidirectionally (counted from the first real token) */
  prefixLength?: ArrayLike<number>;
}

/** The [B, L, L] mask of `kind` for a padded batch. */
export function attentionMask(kind: AttentionKind, batch: Batch, opts: AttentionOptions = {}): Uint8Array {
  const { batchSize: B, length: L } = batch;
  const real = batch.fields.attention_mask ?? new Uint8Array(B * L).fill(1);
  const docs = batch.fields.document_ids;
  if (kind === 'document')
    ensure(
      docs !== undefined,
      "attentionMask: 'document' needs document_ids in the batch (pack with documentAttention)",
    );
  if (kind === 'prefix')
    ensure(opts.prefixLength?.length === B, `attentionMask: 'prefix' needs prefixLength for each of the ${B} rows`);
  const out = new Uint8Array(B * L * L);
  for (let b = 0; b < B; b++) {
    const row = b * L;
    let prefixEnd = 0; // keys j < prefixEnd are visible to every query
    if (kind === 'prefix') {
      let first = 0;
      let nReal = 0;
      while (first < L && !real[row + first]) first++;
      for (let j = 0; j < L; j++) nReal += real[row + j] ? 1 : 0;
      const p = opts.prefixLength![b];
      ensure(
        Number.isInteger(p) && p >= 0 && p <= nReal,
        `attentionMask: prefixLength[${b}] must be an integer in [0, ${nReal}], got ${p}`,
      );
      prefixEnd = first + p;
    }
    for (let i = 0; i < L; i++) {
      const o = (row + i) * L;
      for (let j = 0; j < L; j++) {
        if (!real[row + j]) continue;
        let ok: boolean;
        switch (kind) {
          case 'bidirectional':
            ok = true;
            break;
          case 'causal':
            ok = j <= i;
            break;
          case 'prefix':
            ok = j <= i || j < prefixEnd;
            break;
          case 'document':
            ok = j <= i && docs![row + i] === docs![row + j] && docs![row + j] >= 0;
            break;
        }
        if (ok) out[o + j] = 1;
      }
    }
  }
  return out;
}
