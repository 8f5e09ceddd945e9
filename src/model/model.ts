// The Model contract shared by BERT, GPT-2, T5, ELECTRA and SimCSE: forward(batch) -> loss, backward() accumulates
// into per-parameter grads, parameters() lists HF-named tensors. Activations live in the engine, allocated once per (B, T) capacity.
import type { Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import type { ModelConfig } from './config.js';

/**
 * One batch of model inputs, HF field names, row-major [B, T] (or [B, T, T] for a dense mask). An encoder-decoder
 * (T5) reads input_ids / attention_mask as the encoder's [B, T] and its decoder fields as [B, Td], Td = decoderLength.
 */
export interface ModelBatch {
  batchSize: number;
  length: number;
  input_ids: Int32Array;
  /** [B*T] padding mask (1 = real token), or [B*T*T] dense mask: mask[b, i, j] = 1 when query i may attend key j. */
  attention_mask?: Uint8Array;
  /** [B*T]. BERT: token_type_embeddings, default 0. GPT-2: when given, wte[token_type_ids] is added (as HF). */
  token_type_ids?: Int32Array;
  /**
   * [B*T], default 0..T-1 per row (document-aware packing restarts them). Positions, not rows: a pre-LN BERT
   * (RoBERTa-PreLayerNorm) reads position p at row p + pad_token_id + 1, where HF's position_ids would name the row.
   */
  position_ids?: Int32Array;
  /**
   * -100 = no loss. BERT: [B*T] MLM targets per position; GPT-2: [B*T] the tokens, shifted inside (labels[:, 1:]);
   * T5: [B*Td] the decoder's targets, not shifted (decoder_input_ids default to them shifted right).
   */
  labels?: Int32Array;
  /** Encoder-decoder only: Td, the decoder's length; required with decoder_input_ids or labels. */
  decoderLength?: number;
  /** Encoder-decoder only: [B*Td]; default labels shifted right, starting with decoder_start_token_id, -100 -> pad (HF _shift_right). */
  decoder_input_ids?: Int32Array;
  /** Encoder-decoder only: [B*Td] decoder padding mask (1 = real token), combined with the causal mask; default all ones. */
  decoder_attention_mask?: Uint8Array;
  /** [B] GPT-2 prefix LM: keys t < prefix_length[b] are visible to every query of row b (the prefix attends both ways). */
  prefix_length?: Int32Array;
  /** [B], BertForPreTraining's NSP (or SOP) targets in {0, 1}. */
  next_sentence_label?: Int32Array;
  /** [B, P] ELECTRA: per row the positions t drawn for the generator (duplicates kept), -1 = no draw; labels hold the originals there. */
  masked_positions?: Int32Array;
  /** SimCSE: the second view of each row (unsupervised: the same ids; supervised: the positive) and its padding mask, [B*T] or [B*T_view] (-1 = padding). */
  positive_input_ids?: Int32Array;
  positive_attention_mask?: Uint8Array;
  /** SimCSE supervised: the hard negative of each row and its padding mask, as the positive's. */
  negative_input_ids?: Int32Array;
  negative_attention_mask?: Uint8Array;
}

export interface ForwardOptions {
  /** Training mode: dropout (hidden_dropout_prob, attention_probs_dropout_prob / resid_pdrop, embd_pdrop, attn_pdrop) draws its masks from this stream. Absent = eval, no dropout. */
  rng?: Rng;
  /** Return the LM head's logits (copied before the loss overwrites them). Without labels and without this, the head does not run. */
  logits?: boolean;
  /**
   * Return `hidden` for every position (and allow backward({ dHidden })). BERT with labels otherwise runs its last
   * layer after attention only at the rows its heads read and returns no `hidden`; GPT-2 always returns it.
   */
  hidden?: boolean;
  /** Return the pair head's logits `pairLogits` (BertForPreTraining). */
  pairLogits?: boolean;
  /** Weights of the loss terms by name (BERT: mlm, pair); absent = 1. `loss` and the gradients are the weighted sum. */
  lossWeights?: Readonly<Record<string, number>>;
}

export interface ModelOutput {
  /** Mean cross-entropy over labelled positions (+ the NSP mean for BertForPreTraining); undefined without labels. */
  loss: number | undefined;
  /** The LM part of the loss and the number of positions it averages over (0 -> lmLoss 0, no gradient). */
  lmLoss: number | undefined;
  count: number;
  /** NSP mean cross-entropy, when the model has the head and the batch next_sentence_label. */
  nspLoss?: number;
  /** [B, 2] the NSP (or SOP) head's logits, with `pairLogits` requested (BertForPreTraining). */
  pairLogits?: Float32Array;
  /** Rows among the `count` rows whose argmax is the target (ELECTRA's generator accuracy; SimCSE: anchors whose own positive scores highest). */
  lmCorrect?: number;
  /** ELECTRA's discriminator: mean sigmoid BCE over real tokens (before its weight) and, at those R tokens, logits and labels (1 = replaced). */
  rtd?: { loss: number; logits: Float32Array; labels: Uint8Array };
  /** [rows, V] LM logits: rows = the labelled positions `logitRows` (BERT with labels) or all B*T positions. */
  logits?: Float32Array;
  /** [rows] flat positions b*T+t of the logits' rows. */
  logitRows?: Int32Array;
  /**
   * [B*T, C] final hidden states (BERT: last layer; GPT-2: after ln_f; T5: the decoder's [B*Td, C]). A view into the engine: valid until the next
   * forward. Absent when BERT ran its sparse last layer (labels given, `hidden` not requested).
   */
  hidden?: Float32Array;
  /** [B, C] BERT pooler output (tanh(dense(h[CLS]))), BertForPreTraining only; SimCSE: [K*B, C] the views' sentence vectors. */
  pooled?: Float32Array;
}

export interface BackwardOptions {
  /** [B*T, C] an extra gradient on `hidden` from a loss computed outside the model (e.g. contrastive); BERT needs forward(..., { hidden: true }). */
  dHidden?: Float32Array;
}

/** A trainable tensor. `data` and `grad` are views into the engine's memory in the internal layout `shape`. */
export interface Parameter {
  /** HF state_dict name, e.g. bert.encoder.layer.0.attention.self.query.weight. */
  name: string;
  /** Internal layout (Linear weights [out, in]). */
  shape: number[];
  data: Float32Array;
  grad: Float32Array;
  /** Weight decay applies (HF Trainer: not to biases and LayerNorm weights). */
  decay: boolean;
  /** HF stores the transpose (GPT-2 Conv1D [in, out]). */
  transposed: boolean;
}

/** Incremental decoding state of a causal model: prefill(ids), then step(id) per new token; each returns the logits [V] of the last position. */
export interface KvCache {
  readonly length: number;
  prefill(ids: Int32Array): Float32Array;
  step(id: number): Float32Array;
}

export interface Model {
  readonly config: ModelConfig;
  readonly engine: Engine;
  forward(batch: ModelBatch, options?: ForwardOptions): ModelOutput;
  /** Gradients of the last forward's loss (+ dHidden), accumulated into every parameter's grad. */
  backward(options?: BackwardOptions): void;
  zeroGrad(): void;
  parameters(): Parameter[];
  /** Models saved as separate HF checkpoints, by folder ('' = the run's own; ELECTRA adds 'generator'); absent = this model. */
  parts?(): Record<string, Model>;
  /** Causal models: a key/value cache for generation (eval mode). */
  kvCache?(): KvCache;
}
