// Config + tokenizer + tokenized corpus + engine -> a model and its trainer: the recipe the CLI and tests share.
import type { Config } from '../config/config.js';
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import { createModel, type Model } from '../model/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import type { TaskRows, TrainTask } from './task.js';
import { tasks } from './tasks.js';
import type { TokenizedCorpus } from './tokens.js';
import { Trainer } from './trainer.js';

export interface RunData {
  train: TokenizedCorpus;
  validation?: TokenizedCorpus;
}

export interface PreparedRun {
  task: TrainTask;
  model: Model;
  trainer: Trainer;
  rows: { train: TaskRows; validation?: TaskRows };
}

/** A fresh model (init from config.seed) and its trainer at step 0. */
export function prepareRun(config: Readonly<Config>, vocab: VocabInfo, data: RunData, engine: Engine): PreparedRun {
  const task = tasks[config.objective];
  const train = task.rows(data.train, config, vocab);
  ensure(train.count > 0, 'the training split has no rows (is the corpus empty?)');
  const validation = data.validation && data.validation.ids.length > 0 ? task.rows(data.validation, config, vocab) : undefined;
  const model = createModel(task.modelConfig(config, vocab), engine, { seed: config.seed });
  const trainer = new Trainer({ config, model, task, train, validation: validation && validation.count > 0 ? validation : undefined });
  return { task, model, trainer, rows: { train, validation } };
}
