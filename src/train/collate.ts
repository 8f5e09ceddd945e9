// Padded rows (src/batch) -> the model's batch. Field-driven, never objective-driven: document_ids become the
// block-diagonal causal mask, a decoder-only row's prefix_length the model's prefix (attending both ways),
// a pair label (next_sentence_label or sentence_order_label) the pair head's targets.
import { attentionMask } from '../batch/attention.js';
import type { Batch, BatchField } from '../batch/pad.js';
import type { ModelBatch } from '../model/index.js';

const COPIED = [
  'attention_mask',
  'token_type_ids',
  'position_ids',
  'labels',
  'decoder_input_ids',
  'decoder_attention_mask',
  'masked_positions',
  'positive_input_ids',
  'positive_attention_mask',
  'negative_input_ids',
  'negative_attention_mask',
] as const;

export function toModelBatch(b: Batch): ModelBatch {
  const f = b.fields;
  const out: ModelBatch = { batchSize: b.batchSize, length: b.length, input_ids: f.input_ids as Int32Array };
  const fields = out as unknown as Record<string, BatchField | number | undefined>;
  for (const key of COPIED) if (f[key] !== undefined) fields[key] = f[key];
  if (f.decoder_input_ids !== undefined) out.decoderLength = b.shapes.decoder_input_ids[1];
  const pair = f.next_sentence_label ?? f.sentence_order_label;
  if (pair !== undefined) out.next_sentence_label = pair as Int32Array;
  if (f.document_ids !== undefined)
    out.attention_mask = attentionMask('document', b); // [B, T, T]
  else if (f.prefix_length !== undefined && f.decoder_input_ids === undefined)
    out.prefix_length = f.prefix_length as Int32Array;
  return out;
}
