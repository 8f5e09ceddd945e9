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
import { correctPredictions } from './metrics.js';
import { modelRow, rowCapacity } from './probe-items.js';

export interface FillMaskAccuracy {
  accuracy: number;
  /** mean cross-entropy over the masked tokens (nats) */
  loss: number;
  masked: number;
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
  let correct = 0;
  let masked = 0;
  let lossSum = 0;
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
      correct += correctPredictions(
        out.logits as Float32Array,
        out.logitRows as Int32Array,
        labels,
        model.config.vocab_size,
      );
      lossSum += (out.lmLoss as number) * out.count;
      masked += out.count;
    }
    onProgress?.(Math.min(s + BATCH, rows.length), rows.length);
  }
  ensure(masked > 0, 'fill-mask: no token was masked (raise --mask-prob or --max-tokens)');
  return {
    accuracy: correct / masked,
    loss: lossSum / masked,
    masked,
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
