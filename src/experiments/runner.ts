// The runner: plans the grid, skips runs already in the results, asks `train` for the rest, `jobs` at a time, and hands
// the results to `save` after every run (runs in the grid's order whatever order they finish in), so a comparison
// that stops loses at most the runs in progress. Training, evaluation and files are the caller's (the CLI);
// objectives the trainer refuses are recorded as skipped.
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
export async function runExperiment(
  spec: ExperimentSpec,
  previous: Results | undefined,
  io: RunnerIo,
  jobs = 1,
): Promise<Results> {
  if (previous && sharedSetup(previous.spec) !== sharedSetup(spec))
    throw new PretextError(
      'the output folder holds a comparison with another budget, config or evaluations; choose another --out (or repeat the original flags)',
    );
  const results: Results = previous
    ? { ...previous, spec: mergedSpec(previous.spec, spec), skipped: {} }
    : emptyResults(spec, io.now());
  const plan = planRuns(results.spec);
  const todo: PlannedRun[] = [];
  for (const objective of spec.objectives) {
    const reason = io.untrainable(objective);
    if (reason !== undefined) results.skipped[objective] = reason;
  }
  for (const run of planRuns(spec)) {
    if (results.skipped[run.objective] !== undefined) continue;
    if (results.runs[run.id]) io.onSkip?.(run);
    else todo.push(run);
  }
  io.save(results);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < todo.length && failure === undefined) {
      const i = next++;
      const run = todo[i];
      if (results.skipped[run.objective] !== undefined) continue;
      try {
        const record = await io.train(run, i, todo.length);
        results.runs = inPlanOrder({ ...results.runs, [run.id]: record }, plan); // after the await: other workers may have added runs
      } catch (e) {
        if (!(e instanceof ObjectiveRefused)) {
          failure ??= e; // the other workers finish their runs, then the error is thrown
          return;
        }
        results.skipped[run.objective] = e.message;
      }
      results.updatedAt = io.now();
      io.save(results);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, todo.length)) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}

// The runs by the plan's order (objective-major, then seed), any others (of an earlier plan) after them.
function inPlanOrder(runs: Results['runs'], plan: PlannedRun[]): Results['runs'] {
  const ids = [
    ...plan.map((p) => p.id).filter((id) => runs[id]),
    ...Object.keys(runs).filter((id) => !plan.some((p) => p.id === id)),
  ];
  return Object.fromEntries(ids.map((id) => [id, runs[id]]));
}

// Objectives and seeds of both invocations (a continued comparison may add some), in first-seen order.
function mergedSpec(a: ExperimentSpec, b: ExperimentSpec): ExperimentSpec {
  return {
    ...b,
    objectives: [...new Set([...a.objectives, ...b.objectives])],
    seeds: [...new Set([...a.seeds, ...b.seeds])].sort((x, y) => x - y),
  };
}
