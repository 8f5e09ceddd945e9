// The gpt2 family: GPT2LMHeadModel for the 'lm' head (causal, or a prefix attending both ways through a dense
// attention mask). Validation: the LM loss and perplexity over the predicted tokens.
import { PretextError } from '../errors.js';
import { gpt2Config, type GPT2Config } from './config.js';
import type { FamilySpec, ModelFamily } from './family.js';
import type { ModelBatch } from './model.js';
import { Gpt2Model } from './gpt2.js';

function config({ dims: d, specials, head }: FamilySpec): GPT2Config {
  if (head !== 'lm') throw new PretextError(`the gpt2 family trains the head lm, not '${head}'`);
  return gpt2Config({
    vocab_size: d.vocabSize,
    n_positions: d.maxPositions,
    n_embd: d.hiddenSize,
    n_layer: d.numLayers,
    n_head: d.numHeads,
    n_inner: d.ffnSize,
    resid_pdrop: d.dropout,
    embd_pdrop: d.dropout,
    attn_pdrop: d.dropout,
    initializer_range: d.initializerRange,
    bos_token_id: specials.bosId ?? specials.eosId ?? 0,
    eos_token_id: specials.eosId ?? 0,
  });
}

export const gpt2Family: ModelFamily = {
  name: 'gpt2',
  heads: ['lm'],
  losses: ['lm'],
  config,
  create: (c, engine, seed) => new Gpt2Model(c as GPT2Config, engine, { seed }),
  evalOptions: () => ({}),
  metrics: (out) => ({
    lm_loss: { sum: (out.lmLoss ?? 0) * out.count, count: out.count },
    ppl: { sum: (out.lmLoss ?? 0) * out.count, count: out.count, exp: true },
  }),
  lossCounts: (batch) => ({ lm: lmTargetCount(batch) }),
};

// Positions with a target: labels[b, t] != -100 for t >= 1 (the loss predicts labels[:, 1:]).
function lmTargetCount({ labels, batchSize: B, length: T }: ModelBatch): number {
  let n = 0;
  if (labels) for (let b = 0; b < B; b++) for (let t = 1; t < T; t++) if (labels[b * T + t] !== -100) n++;
  return n;
}
