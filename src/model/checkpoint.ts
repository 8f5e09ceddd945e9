// HF checkpoints, bytes in / bytes out: config.json + model.safetensors as save_pretrained writes them. Tied copies
// (cls.predictions.decoder.weight / .bias, lm_head.weight, RoBERTa's lm_head.decoder.weight / .bias, T5's {en,de}coder.embed_tokens.weight, ELECTRA's
// generator_lm_head.weight) are omitted on save, as HF does, and accepted on load;
// GPT-2 Conv1D weights are transposed between HF's [in, out] and our [out, in].
import type { Engine } from '../engine/engine.js';
import { PretextError, ensure } from '../errors.js';
import { BertModel } from './bert.js';
import { parseModelConfig, type ModelConfig } from './config.js';
import { ElectraModel } from './electra.js';
import { Gpt2Model } from './gpt2.js';
import { T5Model } from './t5.js';
import { SimcseModel } from './simcse.js';
import type { Model, Parameter } from './model.js';
import { readSafetensors, writeSafetensors, type StoredTensor, type TensorToWrite } from './safetensors.js';

/** A freshly initialised model for the config (HF _init_weights from `seed`). */
export function createModel(config: ModelConfig, engine: Engine, options: { seed?: number } = {}): Model {
  if (config.model_type === 't5') return new T5Model(config, engine, options);
  if (config.model_type === 'electra') return new ElectraModel(config, engine, options);
  if (config.model_type === 'bert' && config.architectures[0] === 'BertModel')
    return new SimcseModel(config, engine, options);
  if (config.model_type === 'gpt2') return new Gpt2Model(config, engine, options);
  return new BertModel(config, engine, options); // bert, roberta-prelayernorm
}

export interface LoadOptions {
  /** Throw on tensors the model does not use (default: ignore them, as HF warns and ignores). */
  strict?: boolean;
  /** Keep the initial values of parameters the file lacks (default: throw). */
  allowMissing?: boolean;
  seed?: number;
}

/** config.json (text or object) + model.safetensors -> a model with those weights. */
export function loadModel(
  configJson: string | object,
  safetensors: Uint8Array,
  engine: Engine,
  options: LoadOptions = {},
): Model {
  const model = createModel(parseModelConfig(configJson), engine, { seed: options.seed });
  loadStateDict(model, readSafetensors(safetensors).tensors, options);
  return model;
}

/**
 * The model as HF's save_pretrained writes it: config.json text and model.safetensors bytes; a model of several parts
 * (ELECTRA's discriminator and generator) gives its '' part there and every part in `files`, by relative path
 * ('config.json', 'model.safetensors', 'generator/config.json', ...).
 */
export function saveModel(model: Model): {
  config: string;
  safetensors: Uint8Array;
  files: Record<string, string | Uint8Array>;
} {
  const files: Record<string, string | Uint8Array> = {};
  for (const [dir, part] of Object.entries(model.parts?.() ?? { '': model })) {
    const config = { ...part.config, torch_dtype: part.config.torch_dtype ?? 'float32' };
    files[partPath(dir, MODEL_CONFIG)] = JSON.stringify(config, null, 2) + '\n';
    files[partPath(dir, MODEL_WEIGHTS)] = writeSafetensors(stateDict(part), { format: 'pt' });
  }
  return { config: files[MODEL_CONFIG] as string, safetensors: files[MODEL_WEIGHTS] as Uint8Array, files };
}

const MODEL_CONFIG = 'config.json';
const MODEL_WEIGHTS = 'model.safetensors';
const partPath = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

/** Load every part of `model` (strict) from the files saveModel wrote; `read(path)` returns a file's bytes. */
export function loadParts(model: Model, read: (path: string) => Uint8Array): void {
  for (const [dir, part] of Object.entries(model.parts?.() ?? { '': model }))
    loadStateDict(part, readSafetensors(read(partPath(dir, MODEL_WEIGHTS))).tensors, { strict: true });
}

/** HF name -> tensor in HF's layout (copies; Conv1D weights transposed). */
export function stateDict(model: Model): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const p of model.parameters())
    out.set(p.name, {
      shape: hfShape(p),
      data: p.transposed ? transpose(p.data, p.shape[0], p.shape[1]) : p.data.slice(),
    });
  return out;
}

// Buffers HF checkpoints may carry that are not parameters.
const BUFFER = /(^|\.)(position_ids|attn\.bias|attn\.masked_bias)$/;

/** Copy HF-named tensors into the model's parameters; returns the names it did not use. */
export function loadStateDict(
  model: Model,
  tensors: Map<string, StoredTensor>,
  options: LoadOptions = {},
): { unexpected: string[]; missing: string[] } {
  const byName = new Map(model.parameters().map((p) => [p.name, p]));
  const used = new Set<string>();
  const missing: string[] = [];
  for (const p of model.parameters()) {
    const key = aliases(p.name).find((a) => tensors.has(a));
    if (key === undefined) {
      missing.push(p.name);
      continue;
    }
    used.add(key);
    assign(p, key, tensors.get(key) as StoredTensor);
  }
  for (const name of tensors.keys()) if (aliases(name).some((a) => byName.has(a))) used.add(name); // tied copies
  if (byName.has('shared.weight') && !byName.has('lm_head.weight') && tensors.has('lm_head.weight'))
    used.add('lm_head.weight'); // T5's tied head
  const unexpected = [...tensors.keys()].filter((k) => !used.has(k) && !BUFFER.test(k));
  ensure(
    missing.length === 0 || options.allowMissing,
    () =>
      `checkpoint: missing ${missing.length} tensors: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
  );
  ensure(
    unexpected.length === 0 || !options.strict,
    () => `checkpoint: unexpected tensors: ${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', ...' : ''}`,
  );
  return { unexpected, missing };
}

// The names a parameter may be stored under, preferred first: its own, its tied copy, the base model's (no
// "bert." / "transformer." / "electra." / "roberta_prelayernorm." prefix), and TF-era LayerNorm gamma / beta.
function aliases(name: string): string[] {
  const tied: Record<string, string> = {
    'bert.embeddings.word_embeddings.weight': 'cls.predictions.decoder.weight',
    'cls.predictions.decoder.weight': 'bert.embeddings.word_embeddings.weight',
    'cls.predictions.bias': 'cls.predictions.decoder.bias',
    'cls.predictions.decoder.bias': 'cls.predictions.bias',
    'transformer.wte.weight': 'lm_head.weight',
    'lm_head.weight': 'transformer.wte.weight',
    'encoder.embed_tokens.weight': 'shared.weight', // T5: both stacks embed with shared
    'decoder.embed_tokens.weight': 'shared.weight',
    'generator_lm_head.weight': 'electra.embeddings.word_embeddings.weight',
    'roberta_prelayernorm.embeddings.word_embeddings.weight': 'lm_head.decoder.weight',
    'lm_head.decoder.weight': 'roberta_prelayernorm.embeddings.word_embeddings.weight',
    'lm_head.bias': 'lm_head.decoder.bias',
    'lm_head.decoder.bias': 'lm_head.bias',
  };
  const out = [name];
  if (tied[name]) out.push(tied[name]);
  const base = name.replace(/^(bert|transformer|electra|roberta_prelayernorm)\./, '');
  if (base !== name) out.push(base);
  for (const n of [...out])
    if (/LayerNorm\.(weight|bias)$/.test(n)) out.push(n.replace(/weight$/, 'gamma').replace(/bias$/, 'beta'));
  return out;
}

function assign(p: Parameter, key: string, t: StoredTensor): void {
  const want = hfShape(p);
  ensure(t.data instanceof Float32Array, `checkpoint: ${key} is ${t.dtype}, expected a float tensor`);
  ensure(
    t.shape.length === want.length && t.shape.every((d, i) => d === want[i]),
    `checkpoint: ${key} has shape [${t.shape}], the model expects [${want}]`,
  );
  if (p.transposed) p.data.set(transpose(t.data, want[0], want[1]));
  else p.data.set(t.data);
}

function hfShape(p: Parameter): number[] {
  return p.transposed ? [...p.shape].reverse() : [...p.shape];
}

// [R, K] -> [K, R].
function transpose(x: Float32Array, R: number, K: number): Float32Array {
  if (x.length !== R * K) throw new PretextError(`transpose: ${x.length} values for [${R}, ${K}]`);
  const y = new Float32Array(R * K);
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) y[k * R + r] = x[r * K + k];
  return y;
}
