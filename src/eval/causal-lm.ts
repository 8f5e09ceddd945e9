// Held-out perplexity of a causal LM: each window of n_positions tokens predicts its tokens 2..n from the ones before
// (the first token of a window has no context and is not scored), exp of the mean cross-entropy over all of them.
import type { Document } from '../corpus/document.js';
import { ensure } from '../errors.js';
import type { Model } from '../model/index.js';
import type { Tokenizer } from '../tokenize/index.js';
import type { OnProgress } from './embed.js';
import { documentWindows } from './held-out.js';
import { rowCapacity } from './probe-items.js';

export interface Perplexity {
  perplexity: number;
  /** mean cross-entropy over the predicted tokens (nats) */
  loss: number;
  /** tokens predicted (window length - 1 per window) */
  predicted: number;
  windows: number;
  windowLength: number;
  tokens: number;
  documents: number;
}

const BATCH = 8;

export function heldOutPerplexity(
  model: Model,
  tokenizer: Tokenizer,
  docs: readonly Document[],
  o: { maxTokens: number },
  onProgress?: OnProgress,
): Perplexity {
  ensure(model.config.model_type === 'gpt2', 'perplexity needs a causal (GPT-2) model');
  const L = rowCapacity(model.config);
  const w = documentWindows(docs, tokenizer, L, o.maxTokens, 2);
  let nll = 0;
  let predicted = 0;
  // windows of one length per forward (no padding: a document's last, shorter window goes alone)
  for (let s = 0; s < w.windows.length; ) {
    const T = w.windows[s].length;
    let e = s;
    while (e < w.windows.length && e - s < BATCH && w.windows[e].length === T) e++;
    const B = e - s;
    const input_ids = new Int32Array(B * T);
    for (let b = 0; b < B; b++) input_ids.set(w.windows[s + b], b * T);
    const out = model.forward({ batchSize: B, length: T, input_ids, labels: input_ids });
    nll += (out.lmLoss as number) * out.count;
    predicted += out.count;
    s = e;
    onProgress?.(s, w.windows.length);
  }
  return {
    perplexity: Math.exp(nll / predicted),
    loss: nll / predicted,
    predicted,
    windows: w.windows.length,
    windowLength: L,
    tokens: w.tokens,
    documents: w.documents,
  };
}
