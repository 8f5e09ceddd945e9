// The simcse family: SimCSE on a BERT encoder (SimcseModel), for the 'contrastive' head, exported as HF BertModel
// with the MLP as pooler.dense. The objective's options choose the poolers: 'cls' trains with the MLP and, with
// mlpOnlyTrain (the unsupervised recipe), evaluates without it. Validation: the InfoNCE loss (unsupervised: the two
// views under a fixed dropout stream, as in training; supervised: anchor, positive and hard negative without dropout),
// in-batch retrieval accuracy, and Wang & Isola's alignment (anchor vs its positive) and uniformity (over anchors,
// mean of the per-batch values) on the evaluation pooler's vectors.
import { PretextError } from '../errors.js';
import { Rng } from '../rng/rng.js';
import { bertEncoderFields } from './bert-family.js';
import { bertConfig, type BertConfig } from './config.js';
import type { FamilySpec, MetricSum, ModelFamily } from './family.js';
import { simcseConfig, SimcseModel, SIMCSE_POOLERS, type SimcsePooler, type SimcseSettings } from './simcse.js';
import { alignmentUniformity } from './simcse-loss.js';
import type { ModelBatch, ModelOutput } from './model.js';

function config({ dims: d, specials, head, settings }: FamilySpec): BertConfig {
  if (head !== 'contrastive') throw new PretextError(`the simcse family trains the head contrastive, not '${head}'`);
  const pooler = settings.pooler as SimcsePooler;
  if (!SIMCSE_POOLERS.includes(pooler))
    throw new PretextError(
      `simcse trains with the poolers ${SIMCSE_POOLERS.join(', ')}, not '${String(settings.pooler)}' (it needs one layer's states)`,
    );
  const evalPooler: SimcsePooler = pooler === 'cls' && settings.mlpOnlyTrain === true ? 'cls_before_pooler' : pooler;
  // unsupervised SimCSE's only noise is dropout: the run's, or SimCSE's 0.1 where the run has none (preset tiny)
  const dropout = settings.mode === 'unsupervised' && d.dropout === 0 ? 0.1 : d.dropout;
  const bert = bertConfig(bertEncoderFields(d, specials.padId, dropout));
  return simcseConfig(bert, {
    pooler,
    eval_pooler: evalPooler,
    temperature: settings.temperature as number,
    hard_negative_weight: (settings.hardNegativeWeight as number) ?? 0,
  });
}

const views = (batch: ModelBatch) =>
  batch.negative_input_ids !== undefined ? 3 : batch.positive_input_ids !== undefined ? 2 : 1;

/** [K*B, C] the stacked views' vectors under the evaluation pooler: the training pooler's, or [CLS] without the MLP. */
function evalVectors(out: ModelOutput, s: SimcseSettings, rows: number, C: number): Float32Array {
  const z = out.pooled as Float32Array;
  if (s.eval_pooler === s.pooler) return z;
  const h = out.hidden as Float32Array; // [rows * T, C]
  const T = h.length / (rows * C);
  const v = new Float32Array(rows * C);
  for (let r = 0; r < rows; r++) v.set(h.subarray(r * T * C, r * T * C + C), r * C);
  return v;
}

export const simcseFamily: ModelFamily = {
  name: 'simcse',
  heads: ['contrastive'],
  losses: ['contrastive'],
  config,
  create: (c, engine, seed) => new SimcseModel(c as BertConfig, engine, { seed }),
  // unsupervised views differ only by dropout: keep it, from a fixed stream, so validation is repeatable
  evalOptions: (batch) => (views(batch) === 2 ? { rng: Rng.fromKey({ seed: 0, purpose: 'simcse.validation' }) } : {}),
  metrics(out, batch, c) {
    const B = batch.batchSize;
    const K = views(batch);
    const m: Record<string, MetricSum> = {};
    if (out.loss === undefined || K < 2) return m;
    m.contrastive_loss = { sum: (out.lmLoss ?? out.loss) * B, count: B };
    m.retrieval = { sum: out.lmCorrect ?? 0, count: B };
    const C = (c as BertConfig).hidden_size;
    const v = evalVectors(out, (c as BertConfig).simcse as SimcseSettings, K * B, C);
    const x = new Float32Array(B * C);
    const y = new Float32Array(B * C);
    for (let b = 0; b < B; b++) {
      x.set(v.subarray(b * K * C, b * K * C + C), b * C);
      y.set(v.subarray((b * K + 1) * C, (b * K + 2) * C), b * C);
    }
    const { alignment, uniformity } = alignmentUniformity(x, y, B, C);
    m.alignment = { sum: alignment * B, count: B };
    m.uniformity = { sum: uniformity, count: 1 };
    return m;
  },
};
