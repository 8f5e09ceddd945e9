// The bert family: BertForMaskedLM for the 'mlm' head, BertForPreTraining (pooler + 2-way classifier on [CLS]) for
// 'mlm+pair'. Validation: the MLM loss and masked-token accuracy, the pair loss and pair accuracy.
import { PretextError } from '../errors.js';
import { BertModel } from './bert.js';
import { bertConfig, positionEmbeddingTypes, type BertConfig } from './config.js';
import type { FamilySpec, MetricSum, ModelDims, ModelFamily } from './family.js';
import { countMlmRows } from './bert-rows.js';
import { argmaxRow, correctPredictions } from './metrics.js';

const ARCHITECTURE = { mlm: 'BertForMaskedLM', 'mlm+pair': 'BertForPreTraining' } as const;

/** A BERT encoder's HF config fields at the run's sizes (the bert, electra and simcse families share them). */
export function bertEncoderFields(d: ModelDims, padId: number, dropout = d.dropout) {
  return {
    vocab_size: d.vocabSize,
    hidden_size: d.hiddenSize,
    num_hidden_layers: d.numLayers,
    num_attention_heads: d.numHeads,
    intermediate_size: d.ffnSize,
    max_position_embeddings: d.maxPositions,
    hidden_dropout_prob: dropout,
    attention_probs_dropout_prob: dropout,
    initializer_range: d.initializerRange,
    pad_token_id: padId,
  };
}

function config({ dims: d, specials, head }: FamilySpec): BertConfig {
  const architecture = ARCHITECTURE[head as keyof typeof ARCHITECTURE];
  if (!architecture)
    throw new PretextError(`the bert family trains the heads ${Object.keys(ARCHITECTURE).join(', ')}, not '${head}'`);
  return bertConfig({
    architectures: [architecture],
    ...bertEncoderFields(d, specials.padId),
    position_embedding_type: d.positionEmbedding,
  });
}

export const bertFamily: ModelFamily = {
  name: 'bert',
  heads: Object.keys(ARCHITECTURE),
  losses: ['mlm', 'pair'],
  config,
  create: (c, engine, seed) => new BertModel(c as BertConfig, engine, { seed }),
  evalOptions: (batch) => ({ logits: batch.labels !== undefined, pairLogits: batch.next_sentence_label !== undefined }),
  metrics(out, batch, c) {
    const m: Record<string, MetricSum> = {};
    if (batch.labels !== undefined) {
      m.mlm_loss = { sum: (out.lmLoss ?? 0) * out.count, count: out.count };
      const correct =
        out.logits && out.logitRows ? correctPredictions(out.logits, out.logitRows, batch.labels, c.vocab_size) : 0;
      m.accuracy = { sum: correct, count: out.count };
    }
    const pair = batch.next_sentence_label;
    if (pair !== undefined && out.nspLoss !== undefined) {
      let correct = 0;
      for (let b = 0; b < batch.batchSize; b++)
        if (out.pairLogits && argmaxRow(out.pairLogits, b, 2) === pair[b]) correct++;
      m.pair_loss = { sum: out.nspLoss * batch.batchSize, count: batch.batchSize };
      m.pair_accuracy = { sum: correct, count: batch.batchSize };
    }
    return m;
  },
  positionEmbeddings: positionEmbeddingTypes,
  lossCounts: (batch) => ({
    mlm: batch.labels ? countMlmRows(batch.labels, batch.batchSize * batch.length, false) : 0,
    pair: batch.next_sentence_label ? batch.batchSize : 0,
  }),
};
