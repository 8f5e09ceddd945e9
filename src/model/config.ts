// Model configs in HF's config.json format (field names and defaults of transformers' BertConfig / GPT2Config /
// T5Config / ElectraConfig / RobertaPreLayerNormConfig), so an exported config.json loads with AutoConfig. Unknown fields are kept and written back.
import { PretextError, ensure } from '../errors.js';

/**
 * BertModel: the encoder and its pooler alone (no heads), as SimCSE checkpoints are exported (pooler = SimCSE's MLP).
 * RobertaPreLayerNormForMaskedLM: the pre-LN encoder (model_type roberta-prelayernorm) with RoBERTa's MLM head.
 */
export type BertArchitecture =
  | 'BertForMaskedLM'
  | 'BertForPreTraining'
  | 'BertModel'
  | 'RobertaPreLayerNormForMaskedLM';

/** HF BertConfig's position_embedding_type values pretext trains (not relative_key_query). */
export const positionEmbeddingTypes = ['absolute', 'relative_key'] as const;
export type PositionEmbeddingType = (typeof positionEmbeddingTypes)[number];

/**
 * BERT, post-LN (model_type bert), or pre-LN as HF's RoBERTa-PreLayerNorm (model_type roberta-prelayernorm, whose
 * RobertaPreLayerNormConfig is BertConfig's fields): LayerNorm before attention and before the FFN, a final LayerNorm
 * after the encoder, and position p read from row p + pad_token_id + 1 (RoBERTa's position ids start after padding_idx).
 */
export interface BertConfig {
  model_type: 'bert' | 'roberta-prelayernorm';
  /** BertForPreTraining adds the pooler (dense + tanh on [CLS]) and the NSP head cls.seq_relationship. */
  architectures: [BertArchitecture];
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: 'gelu';
  hidden_dropout_prob: number;
  /** Dropout on the attention probabilities (after the softmax, before V), in training only. */
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  initializer_range: number;
  layer_norm_eps: number;
  pad_token_id: number;
  /** absolute: position_embeddings added to the input; relative_key: a distance_embedding per layer scores q against
   * each key's offset (HF BertSelfAttention), the position embeddings unused */
  position_embedding_type: PositionEmbeddingType;
  [extra: string]: unknown;
}

export interface GPT2Config {
  model_type: 'gpt2';
  architectures: ['GPT2LMHeadModel'];
  vocab_size: number;
  n_positions: number;
  n_embd: number;
  n_layer: number;
  n_head: number;
  /** FFN width; null = 4 * n_embd. */
  n_inner: number | null;
  /** gelu_new / gelu_pytorch_tanh = tanh form; gelu = erf form. */
  activation_function: 'gelu_new' | 'gelu_pytorch_tanh' | 'gelu';
  resid_pdrop: number;
  embd_pdrop: number;
  /** As attention_probs_dropout_prob above. */
  attn_pdrop: number;
  layer_norm_epsilon: number;
  initializer_range: number;
  bos_token_id: number;
  eos_token_id: number;
  [extra: string]: unknown;
}

export type T5FeedForward = 'relu' | 'gated-gelu';

export interface T5Config {
  model_type: 't5';
  architectures: ['T5ForConditionalGeneration'];
  vocab_size: number;
  d_model: number;
  /** size of each attention head; the attention's inner width is num_heads * d_kv (need not equal d_model) */
  d_kv: number;
  d_ff: number;
  num_layers: number;
  /** decoder blocks (HF writes num_layers here when it was not given) */
  num_decoder_layers: number;
  num_heads: number;
  relative_attention_num_buckets: number;
  relative_attention_max_distance: number;
  /** every dropout site: embeddings, attention probabilities, sublayer outputs, inside the FFN, after each stack */
  dropout_rate: number;
  layer_norm_epsilon: number;
  /** scales every init std (HF T5 _init_weights) */
  initializer_factor: number;
  /** relu: T5DenseActDense (wi, wo); gated-gelu (v1.1): T5DenseGatedActDense (wi_0, wi_1, wo) with gelu_new */
  feed_forward_proj: T5FeedForward;
  /** lm_head shares shared.weight and the decoder output is scaled by d_model^-0.5 before it (as HF) */
  tie_word_embeddings: boolean;
  is_encoder_decoder: true;
  pad_token_id: number;
  eos_token_id: number;
  /** decoder_input_ids = labels shifted right, starting with this id (HF _shift_right) */
  decoder_start_token_id: number;
  [extra: string]: unknown;
}

/** ElectraForPreTraining = the discriminator, ElectraForMaskedLM = the generator (HF ElectraConfig fields). */
export type ElectraArchitecture = 'ElectraForPreTraining' | 'ElectraForMaskedLM';

export interface ElectraConfig {
  model_type: 'electra';
  architectures: [ElectraArchitecture];
  vocab_size: number;
  /** width of the (shared) embeddings; embeddings_project maps it to hidden_size when they differ */
  embedding_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: 'gelu';
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  initializer_range: number;
  layer_norm_eps: number;
  pad_token_id: number;
  position_embedding_type: 'absolute';
  [extra: string]: unknown;
}

export type ModelConfig = BertConfig | GPT2Config | T5Config | ElectraConfig;

/** HF BertConfig() defaults (bert-base). */
export function bertConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return checkBert({
    model_type: 'bert',
    architectures: ['BertForMaskedLM'],
    vocab_size: 30522,
    hidden_size: 768,
    num_hidden_layers: 12,
    num_attention_heads: 12,
    intermediate_size: 3072,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    ...overrides,
  });
}

/** HF RobertaPreLayerNormConfig() defaults: BertConfig's with pad_token_id 1, bos_token_id 0, eos_token_id 2. */
export function robertaPreLayerNormConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return bertConfig({
    pad_token_id: 1,
    bos_token_id: 0,
    eos_token_id: 2,
    ...overrides,
    model_type: 'roberta-prelayernorm',
    architectures: overrides.architectures ?? ['RobertaPreLayerNormForMaskedLM'],
  });
}

/** A BERT encoder's config, post-LN (model_type bert) or pre-LN (roberta-prelayernorm). */
export const isBertConfig = (c: ModelConfig): c is BertConfig =>
  c.model_type === 'bert' || c.model_type === 'roberta-prelayernorm';

/** Whether a BERT config is the pre-LN encoder (RoBERTa-PreLayerNorm). */
export const isPreLayerNorm = (c: BertConfig): boolean => c.model_type === 'roberta-prelayernorm';

/** Whether a BERT config scores attention by relative distance (position_embedding_type relative_key). */
export const isRelativeKey = (c: BertConfig): boolean => c.position_embedding_type === 'relative_key';

/** The first position row a BERT config reads: pad_token_id + 1 for RoBERTa-PreLayerNorm, else 0. */
export const positionOffset = (c: BertConfig): number => (isPreLayerNorm(c) ? c.pad_token_id + 1 : 0);

/** How many positions a BERT config's model reads (its rows after positionOffset). */
export const bertPositions = (c: BertConfig): number => c.max_position_embeddings - positionOffset(c);

/** HF GPT2Config() defaults (gpt2 small). */
export function gpt2Config(overrides: Partial<GPT2Config> = {}): GPT2Config {
  return checkGpt2({
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    vocab_size: 50257,
    n_positions: 1024,
    n_embd: 768,
    n_layer: 12,
    n_head: 12,
    n_inner: null,
    activation_function: 'gelu_new',
    resid_pdrop: 0.1,
    embd_pdrop: 0.1,
    attn_pdrop: 0.1,
    layer_norm_epsilon: 1e-5,
    initializer_range: 0.02,
    bos_token_id: 50256,
    eos_token_id: 50256,
    ...overrides,
  });
}

/** HF T5Config() defaults (t5-small). */
export function t5Config(overrides: Partial<T5Config> = {}): T5Config {
  const num_layers = overrides.num_layers ?? 6;
  return checkT5({
    model_type: 't5',
    architectures: ['T5ForConditionalGeneration'],
    vocab_size: 32128,
    d_model: 512,
    d_kv: 64,
    d_ff: 2048,
    num_layers,
    num_heads: 8,
    relative_attention_num_buckets: 32,
    relative_attention_max_distance: 128,
    dropout_rate: 0.1,
    layer_norm_epsilon: 1e-6,
    initializer_factor: 1.0,
    feed_forward_proj: 'relu',
    tie_word_embeddings: true,
    is_encoder_decoder: true,
    pad_token_id: 0,
    eos_token_id: 1,
    decoder_start_token_id: 0,
    ...overrides,
    num_decoder_layers: overrides.num_decoder_layers ?? num_layers,
  });
}

/** HF ElectraConfig() defaults (electra-small discriminator). */
export function electraConfig(overrides: Partial<ElectraConfig> = {}): ElectraConfig {
  return checkElectra({
    model_type: 'electra',
    architectures: ['ElectraForPreTraining'],
    vocab_size: 30522,
    embedding_size: 128,
    hidden_size: 256,
    num_hidden_layers: 12,
    num_attention_heads: 4,
    intermediate_size: 1024,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    ...overrides,
  });
}

/**
 * The generator ELECTRA trains beside `discriminator` (google-research/electra get_generator_config): hidden
 * `hiddenRatio` of the discriminator's (electra-small: 0.25), layers `layersRatio` of its, intermediate 4x hidden,
 * max(1, hidden / 64) heads; embedding_size and the vocabulary are the discriminator's (the embeddings are shared).
 */
export function electraGeneratorConfig(
  discriminator: ElectraConfig,
  hiddenRatio = 0.25,
  layersRatio = 1,
): ElectraConfig {
  const hidden = Math.round(discriminator.hidden_size * hiddenRatio);
  ensure(hidden >= 1, `config: the generator's hidden size ${discriminator.hidden_size} x ${hiddenRatio} rounds to 0`);
  return electraConfig({
    ...discriminator,
    architectures: ['ElectraForMaskedLM'],
    hidden_size: hidden,
    num_hidden_layers: Math.max(1, Math.round(discriminator.num_hidden_layers * layersRatio)),
    intermediate_size: 4 * hidden,
    num_attention_heads: Math.max(1, Math.floor(hidden / 64)),
  });
}

/** A config.json (text or parsed) -> a checked config with HF defaults for absent fields. */
export function parseModelConfig(json: string | object): ModelConfig {
  const raw = (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, unknown>;
  if (raw.model_type === 'bert') return bertConfig(raw as Partial<BertConfig>);
  if (raw.model_type === 'roberta-prelayernorm') return robertaPreLayerNormConfig(raw as Partial<BertConfig>);
  if (raw.model_type === 'gpt2') return gpt2Config(raw as Partial<GPT2Config>);
  if (raw.model_type === 't5') return t5Config(raw as Partial<T5Config>);
  if (raw.model_type === 'electra') return electraConfig(raw as Partial<ElectraConfig>);
  throw new PretextError(
    `config: model_type ${JSON.stringify(raw.model_type)} is not supported (bert, roberta-prelayernorm, gpt2, t5, electra)`,
  );
}

const positiveInts = (c: Record<string, unknown>, keys: string[]) => {
  for (const k of keys)
    ensure(Number.isInteger(c[k]) && (c[k] as number) > 0, `config: ${k} must be a positive integer, got ${c[k]}`);
};
const probability = (c: Record<string, unknown>, keys: string[]) => {
  for (const k of keys)
    ensure(
      typeof c[k] === 'number' && (c[k] as number) >= 0 && (c[k] as number) < 1,
      `config: ${k} must be in [0, 1), got ${c[k]}`,
    );
};

function checkBert(c: BertConfig): BertConfig {
  positiveInts(c, [
    'vocab_size',
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'intermediate_size',
    'max_position_embeddings',
    'type_vocab_size',
  ]);
  probability(c, ['hidden_dropout_prob', 'attention_probs_dropout_prob']);
  ensure(
    c.hidden_size % c.num_attention_heads === 0,
    `config: hidden_size ${c.hidden_size} is not a multiple of num_attention_heads ${c.num_attention_heads}`,
  );
  ensure(c.hidden_act === 'gelu', `config: hidden_act ${c.hidden_act} is not supported (gelu)`);
  ensure(
    (positionEmbeddingTypes as readonly string[]).includes(c.position_embedding_type),
    `config: position_embedding_type ${c.position_embedding_type} is not supported (${positionEmbeddingTypes.join(', ')})`,
  );
  ensure(
    c.tie_word_embeddings === undefined || c.tie_word_embeddings === true,
    'config: untied word embeddings are not supported',
  );
  if (isPreLayerNorm(c))
    ensure(
      Array.isArray(c.architectures) && c.architectures[0] === 'RobertaPreLayerNormForMaskedLM',
      `config: architectures ${JSON.stringify(c.architectures)} (roberta-prelayernorm: RobertaPreLayerNormForMaskedLM)`,
    );
  else
    ensure(
      Array.isArray(c.architectures) &&
        ['BertForMaskedLM', 'BertForPreTraining', 'BertModel'].includes(c.architectures[0]),
      `config: architectures ${JSON.stringify(c.architectures)} (BertForMaskedLM, BertForPreTraining or BertModel)`,
    );
  ensure(
    Number.isInteger(c.pad_token_id) && c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size,
    `config: pad_token_id ${c.pad_token_id} outside the vocabulary`,
  );
  ensure(
    bertPositions(c) > 0,
    `config: max_position_embeddings ${c.max_position_embeddings} leaves no position after the first ${positionOffset(c)} rows (pad_token_id + 1)`,
  );
  return c;
}

function checkGpt2(c: GPT2Config): GPT2Config {
  positiveInts(c, ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head']);
  probability(c, ['resid_pdrop', 'embd_pdrop', 'attn_pdrop']);
  ensure(c.n_embd % c.n_head === 0, `config: n_embd ${c.n_embd} is not a multiple of n_head ${c.n_head}`);
  ensure(
    c.n_inner === null || (Number.isInteger(c.n_inner) && c.n_inner > 0),
    `config: n_inner must be null or a positive integer`,
  );
  ensure(
    ['gelu_new', 'gelu_pytorch_tanh', 'gelu'].includes(c.activation_function),
    `config: activation_function ${c.activation_function} is not supported`,
  );
  ensure(
    c.tie_word_embeddings === undefined || c.tie_word_embeddings === true,
    'config: untied word embeddings are not supported',
  );
  ensure(
    !c.scale_attn_by_inverse_layer_idx && !c.reorder_and_upcast_attn && c.scale_attn_weights !== false,
    'config: scale_attn_by_inverse_layer_idx / reorder_and_upcast_attn / scale_attn_weights false are not supported',
  );
  ensure(c.add_cross_attention !== true, 'config: cross-attention is not supported');
  return c;
}

function checkT5(c: T5Config): T5Config {
  positiveInts(c, [
    'vocab_size',
    'd_model',
    'd_kv',
    'd_ff',
    'num_layers',
    'num_decoder_layers',
    'num_heads',
    'relative_attention_num_buckets',
    'relative_attention_max_distance',
  ]);
  probability(c, ['dropout_rate']);
  ensure(
    ['relu', 'gated-gelu'].includes(c.feed_forward_proj),
    `config: feed_forward_proj ${c.feed_forward_proj} is not supported (relu, gated-gelu)`,
  );
  ensure(
    typeof c.tie_word_embeddings === 'boolean',
    `config: tie_word_embeddings must be true or false, got ${c.tie_word_embeddings}`,
  );
  ensure(
    Array.isArray(c.architectures) && c.architectures[0] === 'T5ForConditionalGeneration',
    `config: architectures ${JSON.stringify(c.architectures)} (T5ForConditionalGeneration)`,
  );
  ensure(
    typeof c.layer_norm_epsilon === 'number' && c.layer_norm_epsilon > 0,
    `config: layer_norm_epsilon must be positive, got ${c.layer_norm_epsilon}`,
  );
  ensure(
    typeof c.initializer_factor === 'number' && c.initializer_factor > 0,
    `config: initializer_factor must be positive, got ${c.initializer_factor}`,
  );
  for (const k of ['pad_token_id', 'eos_token_id', 'decoder_start_token_id'] as const) {
    ensure(Number.isInteger(c[k]) && c[k] >= 0 && c[k] < c.vocab_size, `config: ${k} ${c[k]} outside the vocabulary`);
  }
  return c;
}

function checkElectra(c: ElectraConfig): ElectraConfig {
  positiveInts(c, [
    'vocab_size',
    'embedding_size',
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'intermediate_size',
    'max_position_embeddings',
    'type_vocab_size',
  ]);
  probability(c, ['hidden_dropout_prob', 'attention_probs_dropout_prob']);
  ensure(
    c.hidden_size % c.num_attention_heads === 0,
    `config: hidden_size ${c.hidden_size} is not a multiple of num_attention_heads ${c.num_attention_heads}`,
  );
  ensure(c.hidden_act === 'gelu', `config: hidden_act ${c.hidden_act} is not supported (gelu)`);
  ensure(
    c.position_embedding_type === 'absolute',
    `config: position_embedding_type ${c.position_embedding_type} is not supported (absolute)`,
  );
  ensure(
    c.tie_word_embeddings === undefined || c.tie_word_embeddings === true,
    'config: untied word embeddings are not supported',
  );
  ensure(
    Array.isArray(c.architectures) && ['ElectraForPreTraining', 'ElectraForMaskedLM'].includes(c.architectures[0]),
    `config: architectures ${JSON.stringify(c.architectures)} (ElectraForPreTraining or ElectraForMaskedLM)`,
  );
  ensure(
    Number.isInteger(c.pad_token_id) && c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size,
    `config: pad_token_id ${c.pad_token_id} outside the vocabulary`,
  );
  return c;
}
