// The runner: plans the grid, skips runs already in the results, asks `train` for the rest one at a time, and hands
// the results to `save` after every run, so a comparison that stops loses at most the run in progress. Training,
// evaluation and files are the caller's (the CLI); objectives the trainer refuses are recorded as skipped.
import { PretextError } from '../errors.js';
import { emptyResults, type Results, type RunRecord } from './results.js';
import { planRuns, sharedSetup, type ExperimentSpec, type PlannedRun } from './spec.js';

/** Thrown by RunnerIo.train before training when the trainer refuses the objective: it is then reported as skipped. */
export class ObjectiveRefused extends Error {}

export interface RunnerIo {
  /** why `objective` cannot be trained with the spec's config, or undefined when it can */
  untrainable(objective: string): string | undefined;
  train(run: PlannedRun, index: number, total: number): Promise<RunRecord>;
  save(results: Results): void;
  /** told about each run skipped because an earlier invocation finished it */
  onSkip?(run: PlannedRun): void;
  now(): string;
}

/** Continue `previous` (or start) with `spec`; returns the results with every trainable run done. */
export async function runExperiment(spec: ExperimentSpec, previous: Results | undefined, io: RunnerIo): Promise<Results> {
  if (previous && sharedSetup(previous.spec) !== sharedSetup(spec)) throw new PretextError('the output folder holds a comparison with another budget, config or evaluations; choose another --out (or repeat the original flags)');
  const results: Results = previous ? { ...previous, spec: mergedSpec(previous.spec, spec), skipped: {} } : emptyResults(spec, io.now());
  const plan = planRuns(spec);
  const todo: PlannedRun[] = [];
  for (const objective of spec.objectives) {
    const reason = io.untrainable(objective);
    if (reason !== undefined) results.skipped[objective] = reason;
  }
  for (const run of plan) {
    if (results.skipped[run.objective] !== undefined) continue;
    if (results.runs[run.id]) io.onSkip?.(run);
    else todo.push(run);
  }
  io.save(results);
  for (const [i, run] of todo.entries()) {
    if (results.skipped[run.objective] !== undefined) continue;
    try {
      results.runs[run.id] = await io.train(run, i, todo.length);
    } catch (e) {
      if (!(e instanceof ObjectiveRefused)) throw e;
      results.skipped[run.objective] = e.message;
    }
    results.updatedAt = io.now();
    io.save(results);
  }
  return results;
}

// Objectives and seeds of both invocations (a continued comparison may add some), in first-seen order.
function mergedSpec(a: ExperimentSpec, b: ExperimentSpec): ExperimentSpec {
  return { ...b, objectives: [...new Set([...a.objectives, ...b.objectives])], seeds: [...new Set([...a.seeds, ...b.seeds])].sort((x, y) => x - y) };
}
