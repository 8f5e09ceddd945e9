// ELECTRA as a training run builds it: the discriminator at the run's sizes (embedding_size C / 2 with
// embeddings_project, as electra-small's 128 / 256), the generator at a quarter of its hidden size
// (google-research/electra generator_hidden_size 0.25), trained as one ElectraPretraining; and the validation
// figures of replaced-token detection: generator accuracy at the drawn positions, discriminator accuracy and AUC.
import type { Config } from '../config/config.js';
import type { Engine } from '../engine/engine.js';
import { rocAuc, rtdAccuracy } from '../model/rtd-metrics.js';
import { electraConfig, electraGeneratorConfig, ElectraPretraining, type DuplicateRule, type ElectraConfig, type ModelOutput } from '../model/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';

/** The discriminator's HF config for a run (its config.json); the generator's follows by electraGeneratorConfig. */
export function electraDiscriminatorConfig(c: Readonly<Config>, vocab: VocabInfo): ElectraConfig {
  return electraConfig({
    vocab_size: vocab.vocabSize,
    embedding_size: Math.max(1, Math.round(c.hiddenSize / 2)),
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    intermediate_size: c.ffnSize,
    max_position_embeddings: c.maxPositions,
    hidden_dropout_prob: c.dropout,
    attention_probs_dropout_prob: c.dropout,
    initializer_range: c.initializerRange,
    pad_token_id: vocab.padId,
  });
}

/** Generator + discriminator for the run, initialised from `seed`. */
export function createElectraPretraining(discriminator: ElectraConfig, engine: Engine, seed: number, duplicates: DuplicateRule = 'last'): ElectraPretraining {
  return new ElectraPretraining(discriminator, electraGeneratorConfig(discriminator), engine, { seed, duplicates });
}

export interface RtdFigures {
  /** generator: share of drawn positions whose argmax is the original */
  gen_accuracy: number;
  /** discriminator: share of real tokens classified right (logit > 0 = replaced) */
  disc_accuracy: number;
  /** discriminator: ROC AUC of replaced vs original tokens (undefined when no token was replaced) */
  rtd_auc: number | undefined;
  /** share of real tokens the generator's samples replaced */
  replaced: number;
  /** the discriminator's mean BCE */
  disc_loss: number;
}

/** Sums RTD figures over validation batches (outputs of ElectraPretraining.forward). */
export class RtdTally {
  private draws = 0;
  private genHits = 0;
  private lossSum = 0;
  private readonly logits: number[] = [];
  private readonly labels: number[] = [];

  add(out: ModelOutput): void {
    this.draws += out.count;
    this.genHits += out.lmCorrect ?? 0;
    if (!out.rtd) return;
    this.lossSum += out.rtd.loss * out.rtd.logits.length;
    for (let i = 0; i < out.rtd.logits.length; i++) {
      this.logits.push(out.rtd.logits[i]);
      this.labels.push(out.rtd.labels[i]);
    }
  }

  figures(): RtdFigures {
    const n = this.logits.length;
    const replaced = this.labels.reduce((s, y) => s + y, 0);
    return {
      gen_accuracy: this.draws > 0 ? this.genHits / this.draws : 0,
      disc_accuracy: rtdAccuracy(this.logits, this.labels),
      rtd_auc: rocAuc(this.logits, this.labels),
      replaced: n > 0 ? replaced / n : 0,
      disc_loss: n > 0 ? this.lossSum / n : 0,
    };
  }
}
