// Which key each query may attend to in one example, as matrices: derived from the fields and the heads (causal for
// an 'lm' head, prefix for a prefix_length, encoder + causal decoder for decoder_input_ids), built by src/batch.
import { attentionMask, type AttentionKind } from '../batch/attention.js';
import type { ModelInput } from '../batch/row.js';
import type { Objective } from '../objectives/objective.js';

export interface AttentionView {
  /** 'encoder', 'decoder' or 'self' */
  label: string;
  kind: AttentionKind;
  /** L: the matrix is [L, L] */
  size: number;
  /** allowed[i * L + j] = 1 when query i may attend key j */
  allowed: Uint8Array;
}

function matrix(label: string, kind: AttentionKind, L: number, fields: ModelInput, prefix?: number): AttentionView {
  const batchFields: Record<string, Int32Array | Uint8Array> = {};
  if (fields.attention_mask instanceof Uint8Array && fields.attention_mask.length === L)
    batchFields.attention_mask = fields.attention_mask;
  if (fields.document_ids instanceof Int32Array && fields.document_ids.length === L)
    batchFields.document_ids = fields.document_ids;
  const allowed = attentionMask(
    kind,
    { batchSize: 1, length: L, fields: batchFields, shapes: {} },
    prefix === undefined ? {} : { prefixLength: [prefix] },
  );
  return { label, kind, size: L, allowed };
}

/** The attention matrices of an example: one for self-attention, or the encoder's and the decoder's. */
export function attentionViews(o: Objective, ex: ModelInput): AttentionView[] {
  const L = ex.input_ids.length;
  if (ex.decoder_input_ids) {
    const D = ex.decoder_input_ids.length;
    return [
      matrix('encoder', 'bidirectional', L, ex),
      matrix('decoder', 'causal', D, { input_ids: ex.decoder_input_ids }),
    ];
  }
  if (typeof ex.prefix_length === 'number') return [matrix('self', 'prefix', L, ex, ex.prefix_length)];
  if (o.heads.includes('lm')) return [matrix('self', ex.document_ids ? 'document' : 'causal', L, ex)];
  return [matrix('self', 'bidirectional', L, ex)];
}
