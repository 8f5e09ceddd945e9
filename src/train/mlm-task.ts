// MLM as the trainer runs it: BERT (BertForMaskedLM), FULL-SENTENCES rows, dynamic masking by the mlm objective
// per (seed, epoch, row index) -- the stream mlmObjective.transform gives row i with startIndex i.
import { padRows } from '../batch/pad.js';
import type { Config } from '../config/config.js';
import { ensure } from '../errors.js';
import { bertConfig } from '../model/index.js';
import { maskTokens, mlmObjective } from '../objectives/mlm/index.js';
import type { ModelInput } from '../batch/row.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { Rng } from '../rng/rng.js';
import { fullSentenceRows, rowAt, rowCount } from './rows.js';
import type { TaskRows, TrainTask } from './task.js';
import type { TokenizedCorpus } from './tokens.js';

function rows(corpus: TokenizedCorpus, c: Config, vocab: VocabInfo): TaskRows {
  const { clsId, sepId, maskId } = vocab;
  ensure(clsId !== undefined && sepId !== undefined && maskId !== undefined, 'mlm: the tokenizer needs [CLS], [SEP] and [MASK] tokens');
  const set = fullSentenceRows(corpus, c.seqLen, clsId, sepId);
  const opts = mlmObjective.resolve({ maskProb: c.maskProb });
  return {
    count: rowCount(set),
    batch(indices, seed, epoch) {
      const masked: ModelInput[] = Array.from(indices, (i) => {
        const m = maskTokens(rowAt(set, i), opts, vocab, Rng.of(seed, epoch, i, 'mlm'));
        return { input_ids: m.input_ids, labels: m.labels };
      });
      const b = padRows(masked, { side: 'right', padId: vocab.padId, maxLength: c.seqLen });
      const f = b.fields;
      return { batchSize: b.batchSize, length: b.length, input_ids: f.input_ids as Int32Array, labels: f.labels as Int32Array, attention_mask: f.attention_mask as Uint8Array };
    },
  };
}

export const mlmTask: TrainTask = {
  objective: 'mlm',
  family: 'bert',
  unit: 'sentence',
  metric: 'accuracy',
  modelConfig: (c, vocab) =>
    bertConfig({
      vocab_size: vocab.vocabSize,
      hidden_size: c.hiddenSize,
      num_hidden_layers: c.numLayers,
      num_attention_heads: c.numHeads,
      intermediate_size: c.ffnSize,
      max_position_embeddings: c.maxPositions,
      hidden_dropout_prob: c.dropout,
      attention_probs_dropout_prob: c.dropout,
      initializer_range: c.initializerRange,
      pad_token_id: vocab.padId,
    }),
  rows,
};
