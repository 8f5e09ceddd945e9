// Config + tokenizer + tokenized corpus + engine -> a model and its trainer: the recipe the CLI and tests share.
import type { Config } from '../config/config.js';
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import type { Model } from '../model/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { resolveTask, taskModelConfig, type TrainTask } from './task.js';
import { taskRows, type TaskRows } from './task-rows.js';
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

/** A fresh model (init from config.seed) and its trainer at step 0; rows drawn once use seed (train) and splitSeed (validation). */
export function prepareRun(config: Readonly<Config>, vocab: VocabInfo, data: RunData, engine: Engine): PreparedRun {
  const task = resolveTask(config);
  const train = taskRows(task, data.train, config, vocab, config.seed);
  ensure(
    train.count > 0,
    `the training split (${data.train.ids.length} tokens) is too short for one ${task.name} row of --seq-len ${config.seqLen}; give a larger corpus or a smaller --seq-len`,
  );
  const validation =
    data.validation && data.validation.ids.length > 0
      ? taskRows(task, data.validation, config, vocab, config.splitSeed)
      : undefined;
  const model = task.family.create(taskModelConfig(task, config, vocab), engine, config.seed);
  const trainer = new Trainer({
    config,
    model,
    task,
    train,
    validation: validation && validation.count > 0 ? validation : undefined,
  });
  return { task, model, trainer, rows: { train, validation } };
}
