// Held-out evaluations of a masked LM: fill-mask accuracy (the mlm objective's own masking, keyed by the eval seed)
// and pseudo-perplexity (Salazar et al. 2020, "Masked Language Model Scoring": each token masked in turn, PPPL =
// exp(-mean log p(token | the rest))).
import type { Document } from '../corpus/document.js';
import { padRows } from '../batch/pad.js';
import { ensure } from '../errors.js';
import type { Model } from '../model/index.js';
import { mlmObjective } from '../objectives/mlm/index.js';
import type { Tokenizer } from '../tokenize/index.js';
import type { OnProgress } from './embed.js';
import { documentWindows } from './held-out.js';
import { argmaxRow } from './metrics.js';
import { modelRow, rowCapacity } from './probe-items.js';

/** Accuracy over the targets whose input was one kind of corruption. */
export interface InputAccuracy {
  accuracy: number;
  count: number;
}

export interface FillMaskAccuracy {
  accuracy: number;
  /** mean cross-entropy over the masked tokens (nats) */
  loss: number;
  masked: number;
  /**
   * The same accuracy by what the model saw at the target: [MASK] (80%), a random id (10%) or the token itself (10%,
   * which a model copies long before it uses context), and at [MASK] the share of the most frequent prediction
   * (a model on the unigram plateau answers "the" nearly everywhere).
   */
  byInput: { mask: InputAccuracy; random: InputAccuracy; kept: InputAccuracy };
  topMaskPrediction: { token: string; share: number };
  maskProb: number;
  seed: number;
  rows: number;
  tokens: number;
  documents: number;
}

const BATCH = 16;

/** Mask held-out rows as training does (maskProb, 80/10/10) and count the targets the model predicts exactly. */
export function fillMaskAccuracy(
  model: Model,
  tokenizer: Tokenizer,
  docs: readonly Document[],
  o: { maskProb: number; seed: number; maxTokens: number },
  onProgress?: OnProgress,
): FillMaskAccuracy {
  const vocab = tokenizer.vocabInfo();
  const w = documentWindows(docs, tokenizer, rowCapacity(model.config), o.maxTokens);
  const rows = [
    ...mlmObjective.transform(
      w.windows.map((ids) => ({ input_ids: modelRow(ids, model.config, tokenizer) })),
      mlmObjective.resolve({ maskProb: o.maskProb }),
      { seed: o.seed, epoch: 0, vocab },
    ),
  ];
  let masked = 0;
  let lossSum = 0;
  const V = model.config.vocab_size;
  const kinds = { mask: { hits: 0, count: 0 }, random: { hits: 0, count: 0 }, kept: { hits: 0, count: 0 } };
  const atMask = new Map<number, number>(); // predicted id at [MASK] -> times
  for (let s = 0; s < rows.length; s += BATCH) {
    const b = padRows(rows.slice(s, s + BATCH), { side: 'right', padId: vocab.padId });
    const labels = b.fields.labels as Int32Array;
    const out = model.forward(
      {
        batchSize: b.batchSize,
        length: b.length,
        input_ids: b.fields.input_ids as Int32Array,
        attention_mask: b.fields.attention_mask as Uint8Array,
        labels,
      },
      { logits: true },
    );
    if (out.count > 0) {
      const logits = out.logits as Float32Array;
      const at = out.logitRows as Int32Array;
      const input = b.fields.input_ids as Int32Array;
      for (let m = 0; m < out.count; m++) {
        const predicted = argmaxRow(logits, m, V);
        const shown = input[at[m]];
        const kind = shown === vocab.maskId ? kinds.mask : shown === labels[at[m]] ? kinds.kept : kinds.random;
        kind.count++;
        if (predicted === labels[at[m]]) kind.hits++;
        if (shown === vocab.maskId) atMask.set(predicted, (atMask.get(predicted) ?? 0) + 1);
      }
      lossSum += (out.lmLoss as number) * out.count;
      masked += out.count;
    }
    onProgress?.(Math.min(s + BATCH, rows.length), rows.length);
  }
  ensure(masked > 0, 'fill-mask: no token was masked (raise --mask-prob or --max-tokens)');
  const share = ({ hits, count }: { hits: number; count: number }) => ({
    accuracy: count > 0 ? hits / count : 0,
    count,
  });
  let top = { id: -1, times: 0 };
  for (const [id, times] of atMask) if (times > top.times || (times === top.times && id < top.id)) top = { id, times };
  const correct = kinds.mask.hits + kinds.random.hits + kinds.kept.hits;
  return {
    accuracy: correct / masked,
    loss: lossSum / masked,
    masked,
    byInput: { mask: share(kinds.mask), random: share(kinds.random), kept: share(kinds.kept) },
    topMaskPrediction: {
      token: top.id < 0 ? '' : (tokenizer.idToToken(top.id) ?? String(top.id)),
      share: kinds.mask.count > 0 ? top.times / kinds.mask.count : 0,
    },
    maskProb: o.maskProb,
    seed: o.seed,
    rows: rows.length,
    tokens: w.tokens,
    documents: w.documents,
  };
}

export interface PseudoPerplexity {
  pseudoPerplexity: number;
  /** mean -log p over the scored tokens (nats) */
  meanNll: number;
  tokens: number;
  windows: number;
  documents: number;
}

/** PPPL over held-out windows: for a window of n tokens, n copies each with one token replaced by [MASK]. */
export function pseudoPerplexity(
  model: Model,
  tokenizer: Tokenizer,
  docs: readonly Document[],
  o: { maxTokens: number },
  onProgress?: OnProgress,
): PseudoPerplexity {
  const { maskId } = tokenizer.vocabInfo();
  ensure(maskId !== undefined, 'the tokenizer has no [MASK] token; pseudo-perplexity needs one');
  const w = documentWindows(docs, tokenizer, rowCapacity(model.config), o.maxTokens);
  let nll = 0;
  let done = 0;
  for (const win of w.windows) {
    const row = modelRow(win, model.config, tokenizer); // [CLS] win [SEP]: token t of win sits at t + 1
    for (let s = 0; s < win.length; s += BATCH) {
      const B = Math.min(BATCH, win.length - s);
      const T = row.length;
      const input_ids = new Int32Array(B * T);
      const labels = new Int32Array(B * T).fill(-100);
      for (let b = 0; b < B; b++) {
        const t = s + b + 1;
        input_ids.set(row, b * T);
        input_ids[b * T + t] = maskId;
        labels[b * T + t] = row[t];
      }
      const out = model.forward({ batchSize: B, length: T, input_ids, labels });
      nll += (out.lmLoss as number) * out.count;
      done += B;
      onProgress?.(done, w.tokens);
    }
  }
  return {
    pseudoPerplexity: Math.exp(nll / done),
    meanNll: nll / done,
    tokens: done,
    windows: w.windows.length,
    documents: w.documents,
  };
}
