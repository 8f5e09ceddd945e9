// The row types every layer shares: a tokenized example in, model inputs out (HF field names), and the label the
// loss skips. Objectives produce them, collation pads them, the trainer feeds them to a model.

/** The label the loss skips (PyTorch's CrossEntropyLoss ignore_index). */
export const IGNORE_INDEX = -100;

/** One tokenized row. word_ids[i] is the word a token belongs to (-1 for specials); used by whole-word masking. */
export interface TokenExample {
  input_ids: Int32Array;
  word_ids?: Int32Array;
  /** SimCSE supervised rows: the positive (entailment) and hard-negative (contradiction) sentences. */
  positive_ids?: Int32Array;
  negative_ids?: Int32Array;
}

/** One tokenized document: its sentences as id arrays (no special tokens). */
export interface DocumentExample {
  id: string | number;
  sentences: Int32Array[];
  /** Optional word ids per sentence (same lengths as `sentences`), for whole-word masking in NSP/SOP pairs. */
  word_ids?: Int32Array[];
}

/** Where a pair objective took segments A and B from: document index and sentence range [start, end). */
export interface PairSource {
  a: { doc: number; start: number; end: number };
  b: { doc: number; start: number; end: number };
}

/** Model inputs, HF field names. Per-row arrays are [L] (or [L, L] flattened for dense masks). */
export interface ModelInput {
  input_ids: Int32Array;
  attention_mask?: Uint8Array;
  token_type_ids?: Int32Array;
  labels?: Int32Array;
  position_ids?: Int32Array;
  document_ids?: Int32Array;
  decoder_input_ids?: Int32Array;
  next_sentence_label?: number;
  sentence_order_label?: number;
  source?: PairSource;
  [field: string]: Int32Array | Uint8Array | Float32Array | number | PairSource | undefined;
}
