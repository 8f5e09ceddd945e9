// pretext train: pretrain a BERT (mlm) or GPT-2 (clm) on a corpus; progress on stderr, log.jsonl, atomic
// checkpoints, --resume continues bit-identically, Ctrl-C or SIGTERM saves at the end of the current step and exits 130.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetNames, resolveConfig, type Config } from '../../src/config/index.js';
import type { Engine } from '../../src/engine/engine.js';
import { PretextError } from '../../src/errors.js';
import {
  LOG_FILE,
  MODEL_WEIGHTS,
  RUN_CONFIG,
  TOKENIZER_FILE,
  checkpointFiles,
  initWeights,
  prepareRun,
  resolveTask,
  restoreCheckpoint,
  trainEvents,
  type PreparedRun,
  type TrainEvent,
} from '../../src/train/index.js';
import { formatHelp, parseArgs, type FlagSpec, type ParsedArgs } from '../args.js';
import { inFlagWords } from '../objective-flags.js';
import { writeFileAtomic } from '../output.js';
import { formatDuration, Progress } from '../progress.js';
import { configFlags, newRunConfig, objectiveOf, resumedConfig, runLayers } from '../train-config.js';
import { prepareData, type TrainInputs } from '../train-data.js';
import { createEngine } from '../train-infer.js';
import { TrainLog, evalFigures, evalRow, stepRow } from '../train-log.js';
import { checkMemory, checkStepsLeft, clearRun, planFolder } from '../train-folder.js';
import { checkpointDir, removeStaleTemps, writeCheckpoint } from '../train-run.js';
import type { Command } from './command.js';

const runFlags: FlagSpec[] = [
  { name: 'out', type: 'string', help: 'run folder: run-config.json, log.jsonl, checkpoint-<step>/ (required)' },
  {
    name: 'preset',
    type: 'string',
    default: 'tiny',
    choices: presetNames,
    help: "preset over the defaults (src/config/presets); tiny carries the recipe sweep's winners for BERT and GPT-2, tiny-base does not",
  },
  { name: 'config', type: 'string', help: 'JSON file of knobs over the preset (a run-config.json works)' },
  {
    name: 'resume',
    type: 'boolean',
    default: false,
    help: 'continue the run in --out from its newest checkpoint, with its config (a run with no checkpoint yet starts again from step 0); a larger --steps extends it',
  },
  {
    name: 'overwrite',
    type: 'boolean',
    default: false,
    help: 'replace the run in --out (its run-config.json, log.jsonl, tokenizer.json and checkpoints)',
  },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE =
  'pretext train --objective NAME --corpus brown --preset tiny [--steps N] [knobs] [objective options] --out runs/NAME [--resume | --overwrite]';
const ABOUT = `Pretrain the model an objective declares (mlm: BERT, clm: GPT-2, nsp / sop / mlm+nsp / mlm+sop: BertForPreTraining,
prefix-lm --model decoder: GPT-2 with a bidirectional prefix, ...). Every option of the objective is a flag too
(pretext objectives --markdown). Knobs resolve as defaults <- --preset (with its recipe for the model family
trained: tiny's BERT recipe is relative positions, 64-token rows, batch 16, lr 2e-3, 30% masked; its GPT-2 recipe batch
8, lr 6e-3, 40% warm-up) <- --config <- flags; the resolved config is saved as run-config.json. Checkpoints hold model.safetensors + config.json (HF), tokenizer.json, trainer-state.json
and optimizer.safetensors. --init-from RUN starts from another run's weights and tokenizer. Ctrl-C or SIGTERM
saves a checkpoint after the current step and exits with 130. --grad-accum N trains batches of --batch-size x N
rows in the memory of --batch-size rows; a batch too large for memory is refused before anything is written.`;

/** The value of --name in argv (--name V or --name=V), else undefined. */
function flagIn(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return i < 0 ? undefined : argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

/** The config --help shows and the flags follow: the preset's, with the objective named in argv or the resumed run's. */
function shownConfig(argv: readonly string[]): Readonly<Config> {
  const preset = flagIn(argv, 'preset') ?? 'tiny';
  const out = flagIn(argv, 'out');
  let objective = flagIn(argv, 'objective');
  if (objective === undefined && argv.includes('--resume') && out && existsSync(join(out, RUN_CONFIG))) {
    objective = (JSON.parse(readFileSync(join(out, RUN_CONFIG), 'utf8')) as { objective?: string }).objective;
  }
  const known = objective !== undefined && objectiveOf(objective) !== undefined; // else the flag parser names the choices
  const model = flagIn(argv, 'model');
  const values = { objective: known ? objective : undefined, model: known ? model : undefined };
  return resolveConfig(
    ...runLayers(presetNames.includes(preset) ? preset : 'tiny', [{ source: '--objective', values }]),
  );
}

const mb = (bytes: number): number => Math.round(bytes / 1048576);
const fmt = (n: number): string => n.toLocaleString('en-US');

export const trainCommand: Command = {
  name: 'train',
  summary:
    'pretrain the model an objective declares (BERT, GPT-2, BertForPreTraining, ...) on a corpus, with checkpoints',
  async run(argv) {
    const shown = shownConfig(argv);
    const flags = [...runFlags, ...configFlags(shown)];
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    if (args.positionals.length) throw new PretextError(`unexpected argument '${args.positionals[0]}'`);
    const runDir = args.flags.out as string | undefined;
    if (!runDir) throw new PretextError('--out is required (the run folder, e.g. runs/mlm-tiny)');
    return train(args, runDir, shown.objective);
  },
};

async function train(args: ParsedArgs, runDir: string, objective: string): Promise<number> {
  const resume = args.flags.resume === true;
  const plan = planFolder(runDir, resume, args.flags.overwrite === true);
  const configPath = join(runDir, RUN_CONFIG);
  const asked = resume
    ? resumedConfig(args, configPath, objectiveOf(objective))
    : newRunConfig(args, objectiveOf(objective));
  if (resume) checkStepsLeft(runDir, asked, plan.latest, args.given.has('steps'));
  inFlagWords(objectiveOf(asked.objective), () => resolveTask(asked)); // a bad objective option fails here, in flag words, before the corpus is read
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const t0 = performance.now();
  const init = asked.initFrom && !resume ? checkpointDir(asked.initFrom) : undefined;
  const inputs = await prepareData(asked, resume ? runDir : undefined, init && join(init, TOKENIZER_FILE));
  const config = withVocabulary(asked, inputs.tokenizer.vocabSize);
  checkMemory(config, inputs.tokenizer.vocabSize);
  const engine = await createEngine(config.engine, config.threads);
  try {
    const run = prepareRun(config, inputs.tokenizer.vocabInfo(), inputs.data, engine);
    const elapsedBase = plan.latest ? restore(run, plan.latest.dir) : 0;
    if (init) say(initFrom(run, init));
    // The folder is written once data, engine and model are ready: a bad corpus or config leaves nothing behind.
    mkdirSync(runDir, { recursive: true });
    if (plan.replace) clearRun(runDir);
    removeStaleTemps(runDir);
    const savedSteps = resume ? (JSON.parse(readFileSync(configPath, 'utf8')) as { steps?: number }).steps : undefined;
    writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);
    writeFileAtomic(join(runDir, TOKENIZER_FILE), JSON.stringify(inputs.tokenizer.toJSON()));
    header(say, config, runDir, inputs, run, engine, (performance.now() - t0) / 1000, plan.latest?.step ?? 0);
    if (config.vocabSize !== asked.vocabSize)
      say(
        `  vocabulary ${fmt(config.vocabSize)} tokens, the tokenizer's (--vocab-size ${asked.vocabSize}); run-config.json records ${config.vocabSize}`,
      );
    if (plan.restart)
      say(`  resume     ${runDir} has no checkpoint yet: starting again from step 0 with its ${RUN_CONFIG}`);
    if (plan.latest && savedSteps !== undefined && savedSteps !== config.steps)
      say(
        `  steps      ${config.steps}, not the ${savedSteps} the run was started with: the learning-rate schedule now runs to step ${config.steps}`,
      );
    return await loop(config, runDir, inputs, run, elapsedBase, plan.latest ? run.trainer.step : undefined, say);
  } finally {
    engine.dispose();
  }
}

// The config with the vocabulary the model has (the tokenizer's: a given tokenizer.json, or one trained to at most
// --vocab-size), so run-config.json records it.
function withVocabulary(c: Readonly<Config>, vocabSize: number): Readonly<Config> {
  return vocabSize === c.vocabSize ? c : Object.freeze({ ...c, vocabSize });
}

// Load the checkpoint's weights and trainer state; returns its elapsed seconds.
function restore(run: PreparedRun, dir: string): number {
  const read = (name: string) => {
    try {
      return new Uint8Array(readFileSync(join(dir, name)));
    } catch {
      throw new PretextError(`--resume: cannot read ${join(dir, name)}`);
    }
  };
  return restoreCheckpoint(run.trainer, read, dir);
}

// Load the --init-from checkpoint's weights (parameters it lacks keep their initial values); a line for the header.
function initFrom(run: PreparedRun, dir: string): string {
  const path = join(dir, MODEL_WEIGHTS);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch {
    throw new PretextError(`--init-from: cannot read ${path}`);
  }
  const r = initWeights(run.model, bytes, `--init-from ${dir}`);
  const fresh = r.missing.length
    ? `; ${r.missing.length} new (initialised): ${r.missing.slice(0, 3).join(', ')}${r.missing.length > 3 ? ', ...' : ''}`
    : '';
  return `  init       ${r.loaded} tensors from ${path}${fresh}${r.unexpected.length ? `; ${r.unexpected.length} unused` : ''}`;
}

function header(
  say: (s: string) => void,
  c: Readonly<Config>,
  runDir: string,
  inputs: TrainInputs,
  run: PreparedRun,
  engine: Engine,
  prepS: number,
  from: number,
): void {
  const { train, validation } = inputs.data;
  const params = run.model.parameters().reduce((n, p) => n + p.data.length, 0);
  const arch = run.model.config.architectures[0];
  const build = 'build' in engine ? ` ${(engine as { build: string }).build}` : '';
  const rows = c.batchSize * c.gradAccum;
  const tokens = c.steps * rows * c.seqLen;
  const batch = c.gradAccum > 1 ? `${rows} (${c.gradAccum} x ${c.batchSize})` : `${rows}`;
  say(`pretext train: ${c.objective} on ${c.corpus} -> ${runDir}${from ? ` (resuming at step ${from})` : ''}`);
  say(`  tokenizer  ${inputs.tokenizerSource}, ${fmt(inputs.tokenizer.vocabSize)} tokens`);
  say(
    `  data       train ${inputs.documents.train} documents, ${fmt(train.ids.length)} tokens, ${fmt(run.rows.train.count)} rows; validation ${inputs.documents.validation} documents, ${fmt(validation?.ids.length ?? 0)} tokens, ${fmt(run.rows.validation?.count ?? 0)} rows (prepared in ${prepS.toFixed(1)} s)`,
  );
  say(
    `  model      ${arch}, ${(params / 1e6).toFixed(2)}M parameters; ${engine.name}${build} engine, ${engine.threads} thread${engine.threads > 1 ? 's' : ''}`,
  );
  say(
    `  schedule   ${c.steps} steps x ${batch} x ${c.seqLen} tokens = ${(tokens / 1e6).toFixed(1)}M tokens (${(c.steps / run.trainer.batchesPerEpoch).toFixed(1)} epochs), lr ${c.lr} ${c.schedule}, warm-up ${Math.ceil(c.warmupRatio * c.steps)}`,
  );
}

// "val_accuracy 0.1234  val_pair_accuracy 0.5" : every figure of an evaluation but val_loss.
function figures(e: Extract<TrainEvent, { type: 'eval' }>, sep: string): string {
  return evalFigures(e)
    .map(([k, v]) => `${k} ${v.toFixed(k.endsWith('ppl') ? 2 : 4)}`)
    .join(sep);
}

function evalText(e: Extract<TrainEvent, { type: 'eval' }>): string {
  return `  step ${e.step}: val_loss ${e.val_loss.toFixed(4)}  ${figures(e, '  ')}  (${e.count} predictions, ${e.seconds.toFixed(1)} s)`;
}

async function loop(
  c: Readonly<Config>,
  runDir: string,
  inputs: TrainInputs,
  run: PreparedRun,
  elapsedBase: number,
  resumeStep: number | undefined,
  say: (s: string) => void,
): Promise<number> {
  const { trainer } = run;
  const log = new TrainLog(join(runDir, LOG_FILE), resumeStep);
  const progress = new Progress({
    total: c.steps,
    start: trainer.step,
    tty: process.stderr.isTTY === true,
    every: c.logEvery,
    label: c.objective,
  });
  const tokenizerJson = JSON.stringify(inputs.tokenizer.toJSON());
  let stop = false;
  // Ctrl-C (SIGINT) or a scheduler's SIGTERM: save a checkpoint after the current step and exit 130; a second one leaves now.
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop) process.exit(130);
    stop = true;
    const again = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    progress.note(
      `  interrupted${signal === 'SIGINT' ? '' : ` (${signal})`}: saving a checkpoint after this step (${again} again to quit without saving)`,
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = performance.now();
  const elapsed = () => elapsedBase + (performance.now() - t0) / 1000;
  const totals = { peakRss: 0, tokens: 0, seconds: 0 };
  const evals: Extract<TrainEvent, { type: 'eval' }>[] = [];
  try {
    for (const ev of trainEvents(trainer, c, () => stop)) {
      if (ev.type === 'step') {
        const rss = process.memoryUsage.rss();
        totals.peakRss = Math.max(totals.peakRss, rss);
        totals.tokens += ev.tokens;
        totals.seconds += ev.seconds;
        log.write(stepRow(ev, elapsed(), rss));
        progress.step(ev.step, ev.loss, ev.lr, ev.tokens, ev.seconds);
      } else if (ev.type === 'eval') {
        evals.push(ev);
        log.write(evalRow(ev));
        progress.note(evalText(ev));
      } else
        progress.note(
          `  saved ${writeCheckpoint(runDir, ev.step, checkpointFiles(trainer, tokenizerJson, elapsed(), c), c.keepCheckpoints)}`,
        );
      await new Promise((resolve) => setImmediate(resolve)); // let a signal in
    }
  } finally {
    progress.finish();
    log.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const stopped = stop && trainer.step < c.steps;
  say(
    `${stopped ? 'stopped' : 'done'} at step ${trainer.step}: ${formatDuration(elapsed() - elapsedBase)} this session, ${fmt(Math.round(totals.tokens / Math.max(totals.seconds, 1e-9)))} tok/s${summary(evals)}; peak RSS ${mb(totals.peakRss)} MB`,
  );
  return stopped ? 130 : 0;
}

// "; val_loss L (step 0: L0), val_accuracy A" from the session's evaluations.
function summary(evals: Extract<TrainEvent, { type: 'eval' }>[]): string {
  const first = evals[0];
  const last = evals.at(-1);
  if (!last) return '';
  const from = first !== last ? ` (step ${first.step}: ${first.val_loss.toFixed(4)})` : '';
  return `; val_loss ${last.val_loss.toFixed(4)}${from}, ${figures(last, ', ')}`;
}
