// Fill-mask (HF's fill-mask pipeline): encode the text with its special tokens, run the MLM head on every position,
// and give the top-k tokens by probability at each [MASK].
import { ensure } from '../errors.js';
import { bertPositions, isBertConfig, type Model } from '../model/index.js';
import type { Tokenizer } from '../tokenize/index.js';
import { softmaxRow, topK } from './metrics.js';

export interface FillMaskResult {
  input_ids: number[];
  /** one entry per [MASK], in text order */
  predictions: { position: number; top: { id: number; token: string; prob: number }[] }[];
}

/** Example: "The cat [MASK] on the mat." -> predictions [{ position: 3, top: [{ token: "sat", ... }, ...] }]. */
export function fillMask(model: Model, tokenizer: Tokenizer, text: string, k = 5): FillMaskResult {
  const c = model.config;
  ensure(isBertConfig(c), 'fill-mask needs a BERT (mlm) model');
  ensure(Number.isInteger(k) && k >= 1, `top-k must be a positive integer, got ${k}`);
  const maskId = tokenizer.vocabInfo().maskId;
  ensure(maskId !== undefined, 'the tokenizer has no mask token');
  const maskToken = tokenizer.idToToken(maskId) ?? '[MASK]';
  const ids = tokenizer.encode(text).ids;
  const positions = [...ids.keys()].filter((i) => ids[i] === maskId);
  ensure(positions.length > 0, `the text has no ${maskToken} token to fill`);
  const limit = bertPositions(c);
  ensure(ids.length <= limit, `the text is ${ids.length} tokens, more than the model's ${limit} positions`);
  const V = c.vocab_size;
  // [T, V] logits of every position (no labels: the head runs on all rows).
  const out = model.forward({ batchSize: 1, length: ids.length, input_ids: ids }, { logits: true });
  const logits = out.logits as Float32Array;
  const p = new Float64Array(V);
  const predictions = positions.map((position) => ({
    position,
    top: topK(softmaxRow(logits, position, V, p), Math.min(k, V)).map(({ id, value }) => ({
      id,
      token: tokenizer.idToToken(id) ?? `<${id}>`,
      prob: value,
    })),
  }));
  return { input_ids: Array.from(ids), predictions };
}
