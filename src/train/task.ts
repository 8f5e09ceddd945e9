// The one training task: a training name (an objective id, or a name an objective trains under, as mlm+nsp) ->
// the objective, its resolved options, the architecture it declares and the model family that builds it. Nothing
// here knows an objective by its id: each states what it trains (objective.ts Training).
import type { Config } from '../config/config.js';
import { ensure } from '../errors.js';
import { modelFamily, type ModelConfig, type ModelFamily } from '../model/index.js';
import type { Objective, RowSource, TrainingChoice } from '../objectives/objective.js';
import { trainingOf } from '../objectives/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { parseLossWeights } from './loss-weights.js';
import type { TextUnit } from './tokens.js';

export interface TrainTask {
  /** the training name, as --objective gives it */
  readonly name: string;
  readonly objective: Objective;
  /** the objective's options: its defaults <- the training name's <- the run's rows <- the config's */
  readonly options: Readonly<Record<string, unknown>>;
  /** the architecture's --model name and declaration */
  readonly modelName: string;
  readonly choice: TrainingChoice;
  /** the row source the choice gives for the resolved options */
  readonly rows: RowSource;
  readonly family: ModelFamily;
  /** what one tokenizer call sees: a sentence, or a whole document */
  readonly unit: TextUnit;
  readonly lossWeights: Readonly<Record<string, number>>;
}

// The --model name `model` picks among a training name's architectures ('auto': the first) and its declaration.
function pickModel(models: Readonly<Record<string, TrainingChoice>>, model: string) {
  const modelName = model === 'auto' ? Object.keys(models)[0] : model;
  return { modelName, choice: Object.hasOwn(models, modelName) ? models[modelName] : undefined };
}

/** The architecture training name `name` trains with `--model model`; a bad one is a PretextError. */
function trainingChoice(name: string, model: string) {
  const t = trainingOf(name);
  ensure(t, `objective '${name}' does not train yet`);
  const models = t.objective.training!.models;
  const { modelName, choice } = pickModel(models, model);
  ensure(choice, `${name} trains --model ${Object.keys(models).join(' or ')}, not '${model}'`);
  return { t, modelName, choice };
}

/**
 * The model family training name `name` trains with `--model model` (undefined where it does not train) and the
 * option keys the name sets itself (nsp: maskProb).
 */
export function trainedBy(name: string, model: string): { family?: string; own: string[] } {
  const t = trainingOf(name);
  const models = t?.objective.training?.models;
  if (!t || !models) return { own: [] };
  return { family: pickModel(models, model).choice?.model, own: Object.keys(t.defaults) };
}

/** The task of a config; a bad name, model or option is a one-line PretextError. */
export function resolveTask(c: Readonly<Config>): TrainTask {
  const { t, modelName, choice } = trainingChoice(c.objective, c.model);
  const family = modelFamily(choice.model);
  const options = t.objective.resolve({ ...t.defaults, ...choice.options?.(c.seqLen), ...c.options });
  const lossWeights = { ...family.lossDefaults, ...parseLossWeights(c.lossWeights, family.losses, family.name) };
  ensure(
    c.gradAccum === 1 || family.lossCounts,
    `--grad-accum ${c.gradAccum}: the ${family.name} model family does not say how its loss splits into micro-batches (ModelFamily.lossCounts); train ${c.objective} with --grad-accum 1`,
  );
  const positions = family.positionEmbeddings ?? ['absolute'];
  ensure(
    positions.includes(c.positionEmbedding),
    `--position-embedding ${c.positionEmbedding}: the ${family.name} model family takes ${positions.join(' or ')} positions; train ${c.objective} with --position-embedding absolute`,
  );
  const rows = typeof choice.rows === 'function' ? choice.rows(options) : choice.rows;
  const unit: TextUnit =
    rows === 'full-sentences' || rows === 'document-sentences' || rows === 'sentences' || rows === 'triples'
      ? 'sentence'
      : 'document';
  return { name: c.objective, objective: t.objective, options, modelName, choice, rows, family, unit, lossWeights };
}

/** The HF config of the task's new model: the family's, from the config's sizes and the vocabulary. */
export function taskModelConfig(task: TrainTask, c: Readonly<Config>, vocab: VocabInfo): ModelConfig {
  return task.family.config({
    dims: {
      vocabSize: vocab.vocabSize,
      hiddenSize: c.hiddenSize,
      numLayers: c.numLayers,
      numHeads: c.numHeads,
      ffnSize: c.ffnSize,
      maxPositions: c.maxPositions,
      dropout: c.dropout,
      initializerRange: c.initializerRange,
      positionEmbedding: c.positionEmbedding,
    },
    specials: { padId: vocab.padId, bosId: vocab.bosId, eosId: vocab.eosId },
    head: task.choice.head,
    settings: task.options,
  });
}
