// A comparison as data: objectives x seeds x one budget per run, on one shared config (model size, corpus,
// tokenizer, split). The budget is wall-clock seconds or tokens (B * T per step); every run reports seconds,
// tokens and FLOPs whichever bounds it.
import { PretextError } from '../errors.js';

export type BudgetKind = 'seconds' | 'tokens';

export interface Budget {
  kind: BudgetKind;
  /** seconds of training per run, or tokens per run */
  value: number;
}

export interface ExperimentSpec {
  objectives: string[];
  seeds: number[];
  budget: Budget;
  /** config knobs shared by every run (preset and flags resolved), objective and seed excepted */
  config: Record<string, unknown>;
  /** evaluation task ids run on every model that has the head for them */
  evals: string[];
  /** evaluation sizes (probe chunks per document, tokens scored, pairs) */
  evalSize: { chunksPerDoc: number; maxTokens: number; maxPairs: number };
}

/** One (objective, seed) cell of the grid. */
export interface PlannedRun {
  id: string;
  objective: string;
  seed: number;
}

/** '5m' -> 300, '90s' -> 90, '1h' -> 3600, '45' -> 45 (seconds). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new PretextError(`--budget must be a duration such as 90s, 5m or 1h, got '${text}'`);
  const seconds = Number(m[1]) * ({ s: 1, m: 60, h: 3600 } as const)[(m[2] ?? 's') as 's' | 'm' | 'h'];
  if (!(seconds > 0)) throw new PretextError(`--budget must be positive, got '${text}'`);
  return seconds;
}

/** A budget from the two flags (exactly one given). */
export function budgetOf(duration: string | undefined, tokens: number | undefined): Budget {
  if ((duration === undefined) === (tokens === undefined))
    throw new PretextError(
      'give exactly one of --budget DURATION (wall clock per run) and --tokens N (tokens per run)',
    );
  if (duration !== undefined) return { kind: 'seconds', value: parseDuration(duration) };
  if (!(Number.isInteger(tokens) && (tokens as number) > 0))
    throw new PretextError(`--tokens must be a positive integer, got ${tokens}`);
  return { kind: 'tokens', value: tokens as number };
}

/** 'mlm, clm,mlm' -> ['mlm', 'clm'] (order kept, duplicates dropped). */
export function parseObjectives(text: string): string[] {
  const ids = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  if (ids.length === 0) throw new PretextError('--objectives needs at least one objective id (e.g. mlm,clm)');
  return ids;
}

/** Seeds 0 .. n-1. */
export function seedsOf(n: number): number[] {
  if (!(Number.isInteger(n) && n >= 1 && n <= 100))
    throw new PretextError(`--seeds must be an integer in [1, 100], got ${n}`);
  return Array.from({ length: n }, (_, i) => i);
}

export const runId = (objective: string, seed: number): string => `${objective}/seed-${seed}`;

/** Every (objective, seed), objective-major. */
export function planRuns(spec: ExperimentSpec): PlannedRun[] {
  return spec.objectives.flatMap((objective) =>
    spec.seeds.map((seed) => ({ id: runId(objective, seed), objective, seed })),
  );
}

/** The parts of a spec that must match for earlier runs to count in a continued comparison. */
export function sharedSetup(spec: ExperimentSpec): string {
  return JSON.stringify({ budget: spec.budget, config: spec.config, evals: spec.evals, evalSize: spec.evalSize });
}

/** Steps a run of `tokensPerStep` tokens takes under a token budget (at least one). */
export function stepsForTokens(budgetTokens: number, tokensPerStep: number): number {
  return Math.max(1, Math.floor(budgetTokens / tokensPerStep));
}

/**
 * The steps a wall-clock run plans now, `done` steps and `seconds` of training into a budget of `budget` seconds at
 * the pace so far: what fits, at most `planned` (the calibration's plan) and at least one more step. The plan moves
 * only when what fits differs from `current` by more than 2%, so the schedule does not jitter with the pace.
 */
export function replanSteps(planned: number, current: number, done: number, seconds: number, budget: number): number {
  if (done === 0 || seconds <= 0) return current;
  const fit = Math.min(planned, Math.max(done + 1, done + Math.floor(((budget - seconds) * done) / seconds)));
  return Math.abs(fit - current) > 0.02 * current ? fit : current;
}

/** Training FLOPs ~ 6 N D (forward 2 N D, backward 4 N D; Kaplan et al. 2020), N parameters, D tokens. */
export const trainingFlops = (parameters: number, tokens: number): number => 6 * parameters * tokens;
