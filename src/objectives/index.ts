// The objective registry: explicit imports, no string reflection. Ids are stable across config, CLI and reports.
import type { Objective, ObjectiveId } from './objective.js';
import { mlmObjective } from './mlm/index.js';
import { clmObjective } from './clm/index.js';
import { nspObjective } from './nsp/index.js';
import { sopObjective } from './sop/index.js';
import { spanCorruptionObjective } from './span-corruption/index.js';
import { prefixLmObjective } from './prefix-lm/index.js';
import { electraObjective } from './electra/index.js';
import { simcseObjective } from './simcse/index.js';
import { bartInfillingObjective } from './bart-infilling/index.js';
import { spanbertObjective } from './spanbert/index.js';
import { ul2Objective } from './ul2/index.js';

export const objectives: readonly Objective[] = [
  mlmObjective,
  clmObjective,
  nspObjective,
  sopObjective,
  spanCorruptionObjective,
  prefixLmObjective,
  electraObjective,
  simcseObjective,
  bartInfillingObjective,
  spanbertObjective,
  ul2Objective,
];

export const objectiveIds: readonly ObjectiveId[] = objectives.map((o) => o.id);

export function getObjective(id: string): Objective | undefined {
  return objectives.find((o) => o.id === id);
}

export {
  mlmObjective,
  clmObjective,
  nspObjective,
  sopObjective,
  spanCorruptionObjective,
  prefixLmObjective,
  electraObjective,
  simcseObjective,
  bartInfillingObjective,
  spanbertObjective,
  ul2Objective,
};
