// CLM as the trainer runs it: GPT-2 (GPT2LMHeadModel) on the clm objective's packed blocks (one EOS per document);
// with documentAttention, block-diagonal causal attention and positions restarting per document.
import { attentionMask } from '../batch/attention.js';
import type { Config } from '../config/config.js';
import { gpt2Config, type ModelBatch } from '../model/index.js';
import { clmObjective } from '../objectives/clm/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { packedRows } from './rows.js';
import type { TaskRows, TrainTask } from './task.js';
import type { TokenizedCorpus } from './tokens.js';

function rows(corpus: TokenizedCorpus, c: Config, vocab: VocabInfo): TaskRows {
  const opts = clmObjective.resolve({ pack: true, blockSize: c.seqLen, documentAttention: c.documentAttention });
  const p = packedRows(corpus, opts, vocab);
  const T = p.length;
  const take = (src: Int32Array, indices: ArrayLike<number>): Int32Array => {
    const out = new Int32Array(indices.length * T);
    for (let b = 0; b < indices.length; b++) out.set(src.subarray(indices[b] * T, (indices[b] + 1) * T), b * T);
    return out;
  };
  return {
    count: p.count,
    batch(indices) {
      const B = indices.length;
      const batch: ModelBatch = { batchSize: B, length: T, input_ids: take(p.input_ids, indices), labels: take(p.labels, indices) };
      if (p.document_ids) {
        const fields = { document_ids: take(p.document_ids, indices) };
        batch.position_ids = take(p.position_ids, indices);
        batch.attention_mask = attentionMask('document', { batchSize: B, length: T, fields, shapes: {} }); // [B, T, T]
      }
      return batch;
    },
  };
}

export const clmTask: TrainTask = {
  objective: 'clm',
  family: 'gpt2',
  unit: 'document',
  metric: 'perplexity',
  modelConfig: (c, vocab) =>
    gpt2Config({
      vocab_size: vocab.vocabSize,
      n_positions: c.maxPositions,
      n_embd: c.hiddenSize,
      n_layer: c.numLayers,
      n_head: c.numHeads,
      n_inner: c.ffnSize,
      resid_pdrop: c.dropout,
      embd_pdrop: c.dropout,
      attn_pdrop: c.dropout,
      initializer_range: c.initializerRange,
      bos_token_id: vocab.bosId ?? vocab.eosId ?? 0,
      eos_token_id: vocab.eosId ?? 0,
    }),
  rows,
};
