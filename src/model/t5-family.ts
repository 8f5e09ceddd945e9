// The t5 family: T5ForConditionalGeneration for the 'seq2seq' head (span-corruption, prefix-lm, bart-infilling),
// T5 v1.0 at the run's sizes (d_kv = hiddenSize / numHeads, numLayers blocks in each stack, ReLU FFN, tied head,
// T5's own fan-in init), decoder start = pad. Validation: the target loss, exact-span and token accuracy
// (eval/span-accuracy.ts: sentinel spans of span corruption, whole targets otherwise), under teacher forcing.
// The loss is a mean over the labelled target positions, so --grad-accum weighs micro-batches by their count.
import { PretextError, ensure } from '../errors.js';
import { addSpanAccuracy } from './span-accuracy.js';
import { t5Config, type T5Config } from './config.js';
import type { FamilySpec, ModelFamily } from './family.js';
import { T5Model } from './t5.js';

function config({ dims: d, specials, head }: FamilySpec): T5Config {
  if (head !== 'seq2seq') throw new PretextError(`the t5 family trains the head seq2seq, not '${head}'`);
  ensure(d.hiddenSize % d.numHeads === 0, `hidden size ${d.hiddenSize} is not a multiple of ${d.numHeads} heads`);
  ensure(specials.eosId !== undefined, 'the t5 family needs a tokenizer with an eos token');
  return t5Config({
    vocab_size: d.vocabSize,
    d_model: d.hiddenSize,
    d_kv: d.hiddenSize / d.numHeads,
    d_ff: d.ffnSize,
    num_layers: d.numLayers,
    num_decoder_layers: d.numLayers,
    num_heads: d.numHeads,
    dropout_rate: d.dropout,
    pad_token_id: specials.padId,
    eos_token_id: specials.eosId,
    decoder_start_token_id: specials.padId,
  });
}

export const t5Family: ModelFamily = {
  name: 't5',
  heads: ['seq2seq'],
  losses: ['lm'],
  config,
  create: (c, engine, seed) => new T5Model(c as T5Config, engine, { seed }),
  evalOptions: () => ({ logits: true }),
  metrics(out, batch, c) {
    const acc = { spans: 0, exact: 0, tokens: 0, correct: 0 };
    if (out.logits && batch.labels)
      addSpanAccuracy(acc, out.logits, batch.labels, batch.batchSize, batch.decoderLength as number, c.vocab_size);
    return {
      lm_loss: { sum: (out.lmLoss ?? 0) * out.count, count: out.count },
      span_accuracy: { sum: acc.exact, count: acc.spans },
      token_accuracy: { sum: acc.correct, count: acc.tokens },
    };
  },
  lossCounts: (batch) => ({ lm: batch.labels ? batch.labels.filter((id) => id !== -100).length : 0 }),
};
