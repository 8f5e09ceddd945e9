// The electra family: ELECTRA's generator (ElectraForMaskedLM, a quarter of the hidden size) and discriminator
// (ElectraForPreTraining, the run's sizes with embedding_size C / 2 and embeddings_project, as electra-small's
// 128 / 256) trained together as ElectraPretraining, for the 'rtd' head. Its config.json is the discriminator's, with
// the pair's training settings under `electra_pretraining`. Losses: mlm (the generator, weight 1) and rtd (the
// discriminator's BCE, weight 50: ELECTRA's disc_weight). Validation: both losses, generator accuracy at the drawn
// positions, discriminator accuracy and the replaced-token AUC (mean of the per-batch AUCs).
import type { Engine } from '../engine/engine.js';
import { PretextError } from '../errors.js';
import { bertEncoderFields } from './bert-family.js';
import { electraConfig, electraGeneratorConfig, type ElectraConfig } from './config.js';
import { generatorDraws, realTokenCount } from './electra.js';
import { ElectraPretraining, type DuplicateRule } from './electra-pretraining.js';
import type { FamilySpec, MetricSum, ModelFamily } from './family.js';
import { rocAuc } from './rtd-metrics.js';

/** The pair's settings a discriminator config.json carries (an extra key HF keeps). */
export interface ElectraPretrainingSettings {
  generator_hidden_ratio: number;
  gen_weight: number;
  disc_weight: number;
  temperature: number;
  duplicates: DuplicateRule;
}

function config({ dims: d, specials, head, settings }: FamilySpec): ElectraConfig {
  if (head !== 'rtd') throw new PretextError(`the electra family trains the head rtd, not '${head}'`);
  const s: ElectraPretrainingSettings = {
    generator_hidden_ratio: 0.25,
    gen_weight: 1,
    disc_weight: 50,
    temperature: 1,
    duplicates: settings.compat === undefined || settings.compat === 'none' ? 'last' : 'average',
  };
  return electraConfig({
    ...bertEncoderFields(d, specials.padId),
    embedding_size: Math.max(1, Math.round(d.hiddenSize / 2)),
    electra_pretraining: s,
  });
}

/** Generator + discriminator for a discriminator config (the generator derived from it, as ELECTRA does). */
export function createElectraPretraining(c: ElectraConfig, engine: Engine, seed: number): ElectraPretraining {
  const s = {
    generator_hidden_ratio: 0.25,
    gen_weight: 1,
    disc_weight: 50,
    temperature: 1,
    duplicates: 'last',
    ...(c.electra_pretraining as object),
  } as ElectraPretrainingSettings;
  return new ElectraPretraining(c, electraGeneratorConfig(c, s.generator_hidden_ratio), engine, {
    seed,
    genWeight: s.gen_weight,
    discWeight: s.disc_weight,
    temperature: s.temperature,
    duplicates: s.duplicates,
  });
}

export const electraFamily: ModelFamily = {
  name: 'electra',
  heads: ['rtd'],
  losses: ['mlm', 'rtd'],
  lossDefaults: { rtd: 50 },
  config,
  create: (c, engine, seed) => createElectraPretraining(c as ElectraConfig, engine, seed),
  evalOptions: () => ({}),
  // the generator's CE is a mean over its draws, the discriminator's BCE a mean over the real tokens
  lossCounts: (batch) => ({ mlm: generatorDraws(batch, false), rtd: realTokenCount(batch) }),
  metrics(out) {
    const m: Record<string, MetricSum> = {
      mlm_loss: { sum: (out.lmLoss ?? 0) * out.count, count: out.count },
      gen_accuracy: { sum: out.lmCorrect ?? 0, count: out.count },
    };
    const r = out.rtd;
    if (!r) return m;
    const R = r.logits.length;
    let hits = 0;
    let replaced = 0;
    for (let i = 0; i < R; i++) {
      if ((r.logits[i] > 0 ? 1 : 0) === r.labels[i]) hits++;
      replaced += r.labels[i];
    }
    m.rtd_loss = { sum: r.loss * R, count: R };
    m.disc_accuracy = { sum: hits, count: R };
    m.replaced = { sum: replaced, count: R };
    const auc = rocAuc(r.logits, r.labels);
    if (auc !== undefined) m.rtd_auc = { sum: auc, count: 1 };
    return m;
  },
};
