// pretext compare: train every objective x seed under one budget on one config, run the same evaluations on all,
// write results.json and a self-contained report.html. Runs already in results.json are skipped (continue a stopped
// comparison by repeating the command).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetLayer, presetNames, resolveConfig, type Config, type ConfigLayer } from '../../src/config/index.js';
import { PretextError } from '../../src/errors.js';
import {
  ObjectiveRefused,
  budgetOf,
  parseObjectives,
  parseResults,
  planRuns,
  runExperiment,
  seedsOf,
  type ExperimentSpec,
  type Results,
} from '../../src/experiments/index.js';
import { getObjective, objectives } from '../../src/objectives/index.js';
import { formatHelp, parseArgs, scanFlag, type FlagSpec, type ParsedArgs } from '../args.js';
import { COMPARE_EVALS, checkEvals } from '../compare-eval.js';
import { RUN_ONE, trainInChild, type ChildResult } from '../compare-jobs.js';
import { RESULTS_FILE, markdownReport, writeReport } from '../compare-report.js';
import { runConfig, trainRun, type RunSetup } from '../compare-run.js';
import { writeFileAtomic } from '../output.js';
import { fileLayer, flagLayer, knobFlags, objectiveOf, optionFlags, optionLayer } from '../train-config.js';
import { createEngine } from '../train-infer.js';
import type { Command } from './command.js';

// Knobs that are the grid's (objective, seed), the budget's (steps) or only how the runs compute and log.
const PER_RUN: readonly (keyof Config)[] = [
  'objective',
  'seed',
  'steps',
  'evalEvery',
  'saveEvery',
  'keepCheckpoints',
  'logEvery',
  'engine',
  'threads',
];

const ownFlags: FlagSpec[] = [
  {
    name: 'objectives',
    type: 'string',
    help: 'objective ids, comma-separated (e.g. mlm,clm,mlm+nsp,mlm+sop) (required)',
  },
  { name: 'budget', type: 'string', help: 'wall-clock training time per run: 90s, 5m, 1h (this or --tokens)' },
  { name: 'tokens', type: 'int', help: 'tokens (batch x seq-len per step) per run (this or --budget)' },
  { name: 'seeds', type: 'int', default: 3, help: 'seeds per objective: 0 .. N-1' },
  { name: 'out', type: 'string', help: 'report folder: results.json, report.html, runs/ (required)' },
  {
    name: 'preset',
    type: 'string',
    default: 'tiny',
    choices: presetNames,
    help: "model and data preset shared by every run (without the per-family recipes of pretext train's presets: one config for every objective)",
  },
  { name: 'config', type: 'string', help: 'JSON file of knobs over the preset' },
  {
    name: 'evals',
    type: 'string',
    default: COMPARE_EVALS.filter((e) => e !== 'pseudo-perplexity').join(','),
    help: 'evaluation tasks, each run on every model with the head for it',
  },
  { name: 'chunks-per-doc', type: 'int', default: 4, help: 'probe-genre: chunks per Brown document' },
  { name: 'max-tokens', type: 'int', default: 20000, help: 'fill-mask, perplexity: held-out tokens scored at most' },
  { name: 'max-pairs', type: 'int', default: 1000, help: 'pair: pairs scored per set at most' },
  {
    name: 'jobs',
    type: 'int',
    default: 1,
    min: 1,
    max: 64,
    help: 'runs at once, each in a child process on --threads 1 (results as with --jobs 1)',
  },
  {
    name: 'markdown',
    type: 'boolean',
    default: false,
    help: "print the comparison table and claims of --out's results.json as Markdown (for the README) and exit; trains nothing",
  },
  {
    name: RUN_ONE,
    type: 'string',
    help: 'internal (--jobs): train and evaluate only this run, print its record as JSON',
  },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext compare --objectives mlm,clm --budget 5m|--tokens N [--seeds 3] --out reports/NAME';
const ABOUT = `Train each objective with each seed under the same budget, model size, corpus, tokenizer size and split, run
the same evaluations on every model, and write results.json and report.html (self-contained: open it from disk).
The budget is per run, wall clock (training steps only, evaluations excluded) or tokens; every run reports
seconds, tokens and FLOPs (~6 x parameters x tokens). Objectives the trainer cannot train are listed as skipped.
Repeat the command to continue a stopped comparison: finished runs are kept and skipped.`;

// The training names given to --objectives, scanned before the full parse (their options become flags).
function comparedNames(argv: readonly string[]): string[] {
  const text = scanFlag(argv, 'objectives') ?? '';
  return text.trim() ? parseObjectives(text) : [];
}

// The knobs as flags, and one flag per option of the compared objectives (each run takes its own objective's). An
// option key two objectives share is one flag: both helps, the union of their choices, and no default shown when
// their defaults differ (nsp's --mask-prob is 0, mlm's 0.15).
function knobAndOptionFlags(names: readonly string[]): FlagSpec[] {
  const tiny = resolveConfig(presetLayer('tiny'));
  const flags = knobFlags(tiny).filter((f) => !['objective', 'seed', 'steps'].includes(f.name));
  const options = new Map<string, FlagSpec>();
  for (const name of names)
    for (const f of optionFlags({ ...tiny, objective: name })) {
      const seen = options.get(f.name);
      if (!seen) options.set(f.name, f);
      else if (seen.help !== f.help || seen.default !== f.default)
        options.set(f.name, {
          ...seen,
          help: seen.help === f.help ? seen.help : `${seen.help}; ${f.help}`,
          choices: seen.choices && f.choices ? [...new Set([...seen.choices, ...f.choices])] : undefined,
          default: seen.default === f.default ? seen.default : undefined,
        });
    }
  return [...flags, ...options.values()];
}

// An objective id of src/objectives, or a combination of them (mlm+nsp): anything else is a typo, not a skip.
function checkObjectiveIds(ids: string[]): string[] {
  for (const id of ids) {
    const unknown = id.split('+').filter((part) => !getObjective(part));
    if (unknown.length)
      throw new PretextError(
        `--objectives: unknown objective '${unknown[0]}' (objectives: ${objectives.map((o) => o.id).join(', ')}; combine with +, e.g. mlm+nsp)`,
      );
  }
  return ids;
}

export function specOf(args: ParsedArgs, layers: ConfigLayer[]): ExperimentSpec {
  const f = args.flags;
  const shared = resolveConfig(...layers) as unknown as Record<string, unknown>;
  const config = Object.fromEntries(Object.entries(shared).filter(([k]) => !PER_RUN.includes(k as keyof Config)));
  const positive = (name: string) => {
    if (!((f[name] as number) > 0)) throw new PretextError(`--${name} must be positive, got ${f[name]}`);
    return f[name] as number;
  };
  return {
    objectives: checkObjectiveIds(parseObjectives(String(f.objectives ?? ''))),
    seeds: seedsOf(f.seeds as number),
    budget: budgetOf(f.budget as string | undefined, f.tokens as number | undefined),
    config,
    evals: checkEvals(
      String(f.evals)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    evalSize: {
      chunksPerDoc: positive('chunks-per-doc'),
      maxTokens: positive('max-tokens'),
      maxPairs: positive('max-pairs'),
    },
  };
}

function readPrevious(outDir: string): Results | undefined {
  const path = join(outDir, RESULTS_FILE);
  return existsSync(path) ? parseResults(readFileSync(path, 'utf8'), path) : undefined;
}

/** The comparison; `argv` as given (for the report's command line). */
export async function compare(argv: readonly string[]): Promise<string | undefined> {
  const args = parseArgs(argv, [...ownFlags, ...knobAndOptionFlags(comparedNames(argv))]);
  if (args.positionals.length) throw new PretextError(`unexpected argument '${args.positionals[0]}'`);
  const outDir = args.flags.out as string | undefined;
  if (!outDir) throw new PretextError('--out is required (the report folder, e.g. reports/mlm-vs-clm)');
  if (args.flags.markdown) {
    const previous = readPrevious(outDir);
    if (!previous || Object.keys(previous.runs).length === 0)
      throw new PretextError(
        `${join(outDir, RESULTS_FILE)}: no finished comparison to print (run pretext compare --out ${outDir} first)`,
      );
    process.stdout.write(markdownReport(previous));
    return undefined;
  }
  if (args.flags.objectives === undefined) throw new PretextError('--objectives is required (e.g. mlm,clm)');
  const layers = [presetLayer(args.flags.preset as string)];
  if (args.flags.config) layers.push(fileLayer(args.flags.config as string));
  layers.push(flagLayer(args));
  const spec = specOf(args, layers);
  const base = resolveConfig(...layers);
  const engine = await createEngine(base.engine, base.threads);
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const setup: RunSetup = {
    layers,
    options: (objective) => optionLayer(args, objectiveOf(objective)),
    budget: spec.budget,
    runsDir: join(outDir, 'runs'),
    engine,
    evals: { tasks: spec.evals, size: spec.evalSize, cache: new Map() },
    inputs: new Map(),
  };
  try {
    if (args.flags[RUN_ONE] !== undefined) return await runOne(setup, spec, args.flags[RUN_ONE] as string);
    const jobs = args.flags.jobs as number;
    const results = await runExperiment(
      spec,
      readPrevious(outDir),
      {
        untrainable: (o) => refusal(() => runConfig(setup, o, 0)),
        train: (run, i, n) => {
          say(`pretext compare: ${run.id} (${i + 1} of ${n})`);
          return jobs > 1
            ? trainInChild(argv, run.id)
            : trainRun(setup, run, `${run.objective} seed ${run.seed} (${i + 1}/${n})`);
        },
        save: (r) => writeFileAtomic(join(outDir, RESULTS_FILE), `${JSON.stringify(r, null, 1)}\n`),
        onSkip: (run) => say(`pretext compare: ${run.id} finished earlier, skipped`),
        now: () => new Date().toISOString(),
      },
      jobs,
    );
    for (const [o, why] of Object.entries(results.skipped)) say(`pretext compare: ${o} skipped: ${why}`);
    const short =
      spec.budget.kind === 'seconds'
        ? Object.values(results.runs).filter((r) => r.trained.seconds < 0.9 * spec.budget.value)
        : [];
    for (const r of short)
      say(
        `pretext compare: warning: ${r.id} trained ${r.trained.seconds.toFixed(1)} s of its ${spec.budget.value} s budget (its ${r.trained.steps} planned steps, calibrated on a few, ran faster)`,
      );
    if (Object.keys(results.runs).length === 0)
      throw new PretextError(
        `no objective could be trained (${Object.entries(results.skipped)
          .map(([o, w]) => `${o}: ${w}`)
          .join('; ')})`,
      );
    return await writeReport(
      results,
      outDir,
      `pretext compare ${argv.filter((a) => !a.startsWith(`--${RUN_ONE}`)).join(' ')}`,
    );
  } finally {
    engine.dispose();
  }
}

// A --jobs child: one run, its record (or the trainer's refusal) as JSON on stdout; no results.json, no report.
async function runOne(setup: RunSetup, spec: ExperimentSpec, id: string): Promise<undefined> {
  const planned = planRuns(spec).find((r) => r.id === id);
  if (!planned) throw new PretextError(`--${RUN_ONE}: no run '${id}' in this comparison`);
  let result: ChildResult;
  try {
    result = { record: await trainRun(setup, planned, id) };
  } catch (e) {
    if (!(e instanceof ObjectiveRefused)) throw e;
    result = { refused: e.message };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return undefined;
}

function refusal(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof PretextError) return `the trainer refuses it (${e.message})`;
    throw e;
  }
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'train objectives x seeds under one budget, evaluate all alike, write results.json + report.html',
  async run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(formatHelp(USAGE, ABOUT, [...ownFlags, ...knobAndOptionFlags(comparedNames(argv))]));
      return 0;
    }
    const report = await compare(argv);
    if (report !== undefined) process.stdout.write(`report: ${report}\n`);
    return 0;
  },
};
