// The encoder-decoder family as the trainer runs it (span-corruption, prefix-lm, bart-infilling): a
// T5ForConditionalGeneration sized by the config, the objectives' seq2seq rows (input_ids, attention_mask, labels,
// decoder_input_ids) collated right-padded into one ModelBatch (encoder [B, T], decoder [B, Td]), and validation:
// the target loss and exact-span accuracy (model/span-accuracy.ts).
import { padRows } from '../batch/pad.js';
import type { Config } from '../config/config.js';
import { ensure } from '../errors.js';
import { addSpanAccuracy, type SpanAccuracy } from '../model/span-accuracy.js';
import { t5Config, type Model, type ModelBatch, type T5Config } from '../model/index.js';
import type { ModelInput } from '../batch/row.js';
import type { VocabInfo } from '../tokenize/vocab.js';

/** T5 v1.0 at the config's sizes: d_kv = hiddenSize / numHeads, numLayers blocks in each stack, ReLU FFN, tied head. */
export function t5ModelConfig(c: Config, vocab: VocabInfo): T5Config {
  ensure(c.hiddenSize % c.numHeads === 0, `hiddenSize ${c.hiddenSize} is not a multiple of numHeads ${c.numHeads}`);
  ensure(vocab.eosId !== undefined, 'the encoder-decoder needs a tokenizer with an eos token');
  return t5Config({
    vocab_size: vocab.vocabSize,
    d_model: c.hiddenSize,
    d_kv: c.hiddenSize / c.numHeads,
    d_ff: c.ffnSize,
    num_layers: c.numLayers,
    num_decoder_layers: c.numLayers,
    num_heads: c.numHeads,
    dropout_rate: c.dropout,
    pad_token_id: vocab.padId,
    eos_token_id: vocab.eosId,
    decoder_start_token_id: vocab.padId,
  });
}

/** Seq2seq rows -> one batch: encoder fields [B, T], labels / decoder_input_ids [B, Td] (labels padded with -100). */
export function seq2seqBatch(rows: readonly ModelInput[], padId: number): ModelBatch {
  ensure(rows.every((r) => r.labels !== undefined && r.decoder_input_ids !== undefined), 'seq2seq rows need labels and decoder_input_ids');
  const b = padRows(rows, { side: 'right', padId });
  const f = b.fields;
  return {
    batchSize: b.batchSize,
    length: b.length,
    input_ids: f.input_ids as Int32Array,
    attention_mask: f.attention_mask as Uint8Array,
    decoderLength: b.shapes.labels[1],
    decoder_input_ids: f.decoder_input_ids as Int32Array,
    labels: f.labels as Int32Array,
  };
}

export interface Seq2seqEval {
  /** mean target cross-entropy over the validation labels */
  loss: number;
  /** share of sentinel spans (or whole targets) whose tokens and closing token are all the argmax */
  spanAccuracy: number;
  tokenAccuracy: number;
  spans: number;
}

/** Target loss and exact-span accuracy of `model` over validation batches (no dropout). */
export function evaluateSeq2seq(model: Model, batches: Iterable<ModelBatch>): Seq2seqEval {
  const acc: SpanAccuracy = { spans: 0, exact: 0, tokens: 0, correct: 0 };
  let lossSum = 0;
  for (const batch of batches) {
    const out = model.forward(batch, { logits: true });
    lossSum += (out.lmLoss ?? 0) * out.count;
    addSpanAccuracy(acc, out.logits as Float32Array, batch.labels as Int32Array, batch.batchSize, batch.decoderLength as number, model.config.vocab_size);
  }
  const frac = (a: number, b: number) => (b > 0 ? a / b : 0);
  return { loss: frac(lossSum, acc.tokens), spanAccuracy: frac(acc.exact, acc.spans), tokenAccuracy: frac(acc.correct, acc.tokens), spans: acc.spans };
}
