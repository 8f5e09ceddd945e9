// Figures on held-out rows made exactly as training makes them (the run's objective transform over its validation
// documents; the caller builds the batches, src/train's rows): exact-span and token accuracy of a seq2seq model under
// teacher forcing, counted by the t5 family's own validation code (model/span-accuracy.ts), and ELECTRA's
// replaced-token detection over every real token of the rows, by model/rtd-metrics.ts (the electra family's).
import { ensure } from '../errors.js';
import { rocAuc, rtdAccuracy, type Model, type ModelBatch } from '../model/index.js';
import { addSpanAccuracy } from '../model/span-accuracy.js';
import type { OnProgress } from './embed.js';

export interface SpanAccuracyResult {
  /** spans written exactly (every token through the one that closes the span) */
  spanAccuracy: number;
  tokenAccuracy: number;
  /** mean cross-entropy over the target tokens (nats) */
  loss: number;
  spans: number;
  tokens: number;
  rows: number;
}

/** Teacher-forced span and token accuracy over the batches (labels = the targets, -100 elsewhere). */
export function spanAccuracy(
  model: Model,
  batches: readonly ModelBatch[],
  onProgress?: OnProgress,
): SpanAccuracyResult {
  const acc = { spans: 0, exact: 0, tokens: 0, correct: 0 };
  let lossSum = 0;
  let rows = 0;
  batches.forEach((batch, i) => {
    ensure(
      batch.labels !== undefined && batch.decoderLength !== undefined,
      'span accuracy: the rows carry no seq2seq targets',
    );
    const out = model.forward(batch, { logits: true });
    addSpanAccuracy(
      acc,
      out.logits as Float32Array,
      batch.labels,
      batch.batchSize,
      batch.decoderLength,
      model.config.vocab_size,
    );
    lossSum += (out.lmLoss ?? 0) * out.count;
    rows += batch.batchSize;
    onProgress?.(i + 1, batches.length);
  });
  ensure(acc.tokens > 0, 'span accuracy: the held-out rows have no target tokens');
  return {
    spanAccuracy: acc.spans > 0 ? acc.exact / acc.spans : 0,
    tokenAccuracy: acc.correct / acc.tokens,
    loss: lossSum / acc.tokens,
    spans: acc.spans,
    tokens: acc.tokens,
    rows,
  };
}

export interface RtdResult {
  /** ROC AUC of the discriminator's logits for replaced (1) vs original (0) tokens, over all rows at once */
  auc: number;
  /** share of real tokens whose logit > 0 agrees with replaced / original */
  discriminatorAccuracy: number;
  /** accuracy of always answering 'original' (the share of original tokens) */
  majority: number;
  /** share of real tokens the generator's samples replaced */
  replaced: number;
  /** the generator's accuracy at the masked positions */
  generatorAccuracy: number;
  tokens: number;
  rows: number;
}

/** The pair as trained (generator samples, discriminator scores) over the batches; labels = the original ids at the masked positions. */
export function replacedTokenDetection(
  model: Model,
  batches: readonly ModelBatch[],
  onProgress?: OnProgress,
): RtdResult {
  const logits: number[] = [];
  const labels: number[] = [];
  let genCorrect = 0;
  let drawn = 0;
  let rows = 0;
  batches.forEach((batch, i) => {
    const out = model.forward(batch);
    ensure(
      out.rtd !== undefined,
      'rtd: the model gives no replaced-token scores (an ELECTRA pretraining pair is needed)',
    );
    for (let k = 0; k < out.rtd.logits.length; k++) logits.push(out.rtd.logits[k]), labels.push(out.rtd.labels[k]);
    genCorrect += out.lmCorrect ?? 0;
    drawn += out.count;
    rows += batch.batchSize;
    onProgress?.(i + 1, batches.length);
  });
  ensure(logits.length > 0, 'rtd: the held-out rows have no real tokens');
  const auc = rocAuc(logits, labels);
  ensure(
    auc !== undefined,
    'rtd: the held-out rows have no replaced token (or only replaced ones): raise --max-tokens',
  );
  const replaced = labels.reduce((a, x) => a + x, 0) / labels.length;
  return {
    auc,
    discriminatorAccuracy: rtdAccuracy(logits, labels),
    majority: 1 - replaced,
    replaced,
    generatorAccuracy: drawn > 0 ? genCorrect / drawn : 0,
    tokens: labels.length,
    rows,
  };
}
