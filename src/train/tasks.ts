// The trainable objectives: explicit imports, no string reflection.
import type { TrainObjectiveId } from '../config/config.js';
import { clmTask } from './clm-task.js';
import { mlmTask } from './mlm-task.js';
import type { TrainTask } from './task.js';

export const tasks: Readonly<Record<TrainObjectiveId, TrainTask>> = { mlm: mlmTask, clm: clmTask };

/** The task of a model family ('bert' -> mlm, 'gpt2' -> clm). */
export function taskOfModelType(modelType: 'bert' | 'gpt2'): TrainTask {
  return modelType === 'bert' ? mlmTask : clmTask;
}
