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

/** Every name `pretext train` takes: each trainable objective's id, or the names it declares (mlm+nsp). */
export const trainingNames: readonly string[] = objectives.flatMap((o) =>
  o.training ? Object.keys(o.training.names ?? { [o.id]: {} }) : [],
);

/** The objective a training name trains and the option defaults that name gives; undefined for any other name. */
export function trainingOf(name: string): { objective: Objective; defaults: Record<string, unknown> } | undefined {
  for (const o of objectives) {
    const names: Record<string, object> = o.training?.names ?? (o.training ? { [o.id]: {} } : {});
    if (Object.hasOwn(names, name)) return { objective: o, defaults: { ...names[name] } };
  }
  return undefined;
}

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
