// Sampling from a GPT-2 model: its own generator keyed by (seed, 'generate') so it never touches a training stream
// (build-nanogpt); greedy at temperature 0; optional top-k. With the model's KV cache (the default) each new token
// runs one row through the blocks; once the context outgrows n_positions the window slides (nanoGPT's crop) and each
// token re-prefills it. Without the cache each token reruns the window, right-padded to a fixed length so
// activations are allocated once (causal attention: padding after a position cannot change it).
import { ensure } from '../errors.js';
import type { KvCache, Model } from '../model/index.js';
import { Rng } from '../rng/rng.js';
import type { Tokenizer } from '../tokenize/index.js';
import { argmaxRow, softmaxRow, topK } from './metrics.js';

export interface GenerateOptions {
  maxNewTokens: number;
  /** 0 = greedy */
  temperature: number;
  /** sample among the k most likely tokens; 0 = all */
  topK: number;
  seed: number;
  /** stop after the end-of-text token (default true) */
  stopAtEos?: boolean;
  /** use the model's KV cache (default true) */
  kvCache?: boolean;
}

export interface GenerateResult {
  input_ids: number[];
  /** the new tokens (without the final end-of-text token) */
  output_ids: number[];
  /** decoded new tokens */
  completion: string;
  /** prompt + completion */
  text: string;
  stopped: 'eos' | 'length';
}

/** Continue `prompt`; an empty prompt starts from the end-of-text token, as GPT-2 samples unconditionally. */
export function generate(model: Model, tokenizer: Tokenizer, prompt: string, o: GenerateOptions): GenerateResult {
  const c = model.config;
  ensure(c.model_type === 'gpt2', 'generate needs a GPT-2 (clm) model');
  ensure(
    Number.isInteger(o.maxNewTokens) && o.maxNewTokens >= 0,
    `max-new-tokens must be a non-negative integer, got ${o.maxNewTokens}`,
  );
  ensure(Number.isFinite(o.temperature) && o.temperature >= 0, `temperature must be >= 0, got ${o.temperature}`);
  ensure(Number.isInteger(o.topK) && o.topK >= 0, `top-k must be a non-negative integer, got ${o.topK}`);
  const V = c.vocab_size;
  const eos = c.eos_token_id;
  const input = Array.from(tokenizer.encode(prompt, undefined, { addSpecialTokens: false }).ids);
  const context = input.length > 0 ? [...input] : [eos];
  const T = Math.min(c.n_positions, context.length + o.maxNewTokens);
  const cache = (o.kvCache ?? true) ? model.kvCache?.() : undefined;
  const window = cache ? undefined : new Int32Array(T);
  const rng = Rng.of(o.seed, 0, 0, 'generate');
  const p = new Float64Array(V);
  const output: number[] = [];
  let stopped: GenerateResult['stopped'] = 'length';
  for (let n = 0; n < o.maxNewTokens; n++) {
    const [logits, row] = cache
      ? [cachedLogits(cache, context, T), 0]
      : windowLogits(model, window as Int32Array, context, eos); // [rows, V]
    const next =
      o.temperature === 0
        ? argmaxRow(logits, row, V)
        : sample(softmaxRow(logits, row, V, p, o.temperature), o.topK, rng);
    if (next === eos && (o.stopAtEos ?? true)) {
      stopped = 'eos';
      break;
    }
    context.push(next);
    output.push(next);
  }
  const completion = tokenizer.decode(output);
  return { input_ids: input, output_ids: output, completion, text: tokenizer.decode([...input, ...output]), stopped };
}

// The logits [V] after `context` from the cache: a step for the newest token while the context fits the window of T,
// else a prefill of the last T tokens (the first call, or the window sliding).
function cachedLogits(cache: KvCache, context: number[], T: number): Float32Array {
  if (context.length <= T && cache.length === context.length - 1) return cache.step(context[context.length - 1]);
  return cache.prefill(Int32Array.from(context.slice(Math.max(0, context.length - T))));
}

// All logits [T, V] of the window (the last T tokens of context, right-padded) and the row of the newest token.
function windowLogits(model: Model, window: Int32Array, context: number[], eos: number): [Float32Array, number] {
  const T = window.length;
  const start = Math.max(0, context.length - T); // crop to the last T tokens (nanoGPT)
  const len = context.length - start;
  window.fill(eos);
  for (let i = 0; i < len; i++) window[i] = context[start + i];
  return [
    model.forward({ batchSize: 1, length: T, input_ids: window }, { logits: true }).logits as Float32Array,
    len - 1,
  ];
}

// A draw from p (or from its top k, renormalised).
function sample(p: Float64Array, k: number, rng: Rng): number {
  if (k === 0 || k >= p.length) return rng.weighted(p);
  const top = topK(p, k);
  return top[rng.weighted(top.map((t) => t.value))].id;
}
