// Mask-predict generation for a masked LM (Ghazvininejad et al. 2019, "Mask-Predict: Parallel Decoding of
// Conditional Masked Language Models"): [CLS] prompt [MASK] x n [SEP]; predict every masked position at once, then
// for iterations t = 1 .. I-1 re-mask the n (I - t) / I least confident of the generated tokens and predict those
// again, keeping each token's probability from the pass that chose it. Special tokens are never generated.
import { ensure } from '../errors.js';
import { isBertConfig, type Model } from '../model/index.js';
import { Rng } from '../rng/rng.js';
import type { Tokenizer } from '../tokenize/index.js';
import type { GenerateResult } from './generate.js';
import { argmaxRow, softmaxRow, topK } from './metrics.js';
import { maxPositions } from './probe-items.js';

export interface MaskPredictOptions {
  /** tokens to generate (all of them, in parallel) */
  newTokens: number;
  /** passes of the model (I); 1 = a single parallel prediction */
  iterations: number;
  /** 0 = the most probable token at each position */
  temperature: number;
  /** sample among the k most likely tokens; 0 = all */
  topK: number;
  seed: number;
}

export interface MaskPredictResult extends GenerateResult {
  /** after each pass: how many positions it predicted, and the generated text so far */
  steps: { predicted: number; completion: string }[];
}

/** Fill n masks after `prompt` by iterative mask-predict. */
export function maskPredict(
  model: Model,
  tokenizer: Tokenizer,
  prompt: string,
  o: MaskPredictOptions,
): MaskPredictResult {
  const c = model.config;
  ensure(
    isBertConfig(c) || (c.model_type === 'electra' && c.architectures[0] === 'ElectraForMaskedLM'),
    "mask-predict needs a masked LM (BERT, or ELECTRA's generator)",
  );
  const positions = maxPositions(c);
  ensure(
    Number.isInteger(o.newTokens) && o.newTokens >= 1,
    `new tokens must be a positive integer, got ${o.newTokens}`,
  );
  ensure(
    Number.isInteger(o.iterations) && o.iterations >= 1,
    `iterations must be a positive integer, got ${o.iterations}`,
  );
  ensure(Number.isFinite(o.temperature) && o.temperature >= 0, `temperature must be >= 0, got ${o.temperature}`);
  ensure(Number.isInteger(o.topK) && o.topK >= 0, `top-k must be a non-negative integer, got ${o.topK}`);
  const vocab = tokenizer.vocabInfo();
  const { clsId, sepId, maskId } = vocab;
  ensure(
    clsId !== undefined && sepId !== undefined && maskId !== undefined,
    'mask-predict needs [CLS], [SEP] and [MASK] tokens',
  );
  const input = Array.from(tokenizer.encode(prompt, undefined, { addSpecialTokens: false }).ids);
  const n = o.newTokens;
  const T = input.length + n + 2;
  ensure(
    T <= positions,
    `the prompt (${input.length} tokens) and ${n} new tokens need ${T} positions, the model has ${positions}`,
  );
  const ids = Int32Array.from([clsId, ...input, ...new Array(n).fill(maskId), sepId]);
  const first = input.length + 1; // position of generated token 0
  const tokens = new Int32Array(n);
  const probs = new Float64Array(n);
  const special = new Set(vocab.specialIds);
  const rng = Rng.of(o.seed, 0, 0, 'mask-predict');
  const steps: MaskPredictResult['steps'] = [];
  let masked = [...tokens.keys()];
  for (let it = 0; it < o.iterations && masked.length > 0; it++) {
    for (const i of masked) ids[first + i] = maskId;
    const logits = model.forward({ batchSize: 1, length: T, input_ids: ids }, { logits: true }).logits as Float32Array; // [T, V]
    for (const i of masked) [tokens[i], probs[i]] = pick(logits, first + i, c.vocab_size, special, o, rng);
    for (const i of masked) ids[first + i] = tokens[i];
    steps.push({ predicted: masked.length, completion: tokenizer.decode(tokens) });
    const next = Math.floor((n * (o.iterations - it - 1)) / o.iterations);
    masked = [...tokens.keys()].sort((a, b) => probs[a] - probs[b] || a - b).slice(0, next);
  }
  const output = Array.from(tokens);
  const completion = tokenizer.decode(output);
  return {
    input_ids: input,
    output_ids: output,
    completion,
    text: tokenizer.decode([...input, ...output]),
    stopped: 'length',
    steps,
  };
}

// A token for position `row` (never a special one) and its probability: argmax at temperature 0 (probability under
// the plain softmax), else a draw from softmax(logits / temperature) or its top k.
function pick(
  logits: Float32Array,
  row: number,
  V: number,
  special: Set<number>,
  o: MaskPredictOptions,
  rng: Rng,
): [number, number] {
  const masked = logits.slice(row * V, (row + 1) * V);
  for (const id of special) masked[id] = -Infinity;
  const p = softmaxRow(masked, 0, V, new Float64Array(V), o.temperature === 0 ? 1 : o.temperature);
  if (o.temperature === 0) {
    const id = argmaxRow(masked, 0, V);
    return [id, p[id]];
  }
  if (o.topK === 0 || o.topK >= V) {
    const id = rng.weighted(p);
    return [id, p[id]];
  }
  const top = topK(p, o.topK);
  const id = top[rng.weighted(top.map((t) => t.value))].id;
  return [id, p[id]];
}
