// One (objective, seed) run of `pretext compare`: the run's config (shared knobs + objective + seed + steps from the
// budget), training through src/train as `pretext train` does (the folder is a pretext train run folder: log.jsonl,
// run-config.json, the final checkpoint), the loss share of training batches, then the comparison's evaluations.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig, type Config, type ConfigLayer } from '../src/config/index.js';
import type { Engine } from '../src/engine/engine.js';
import { PretextError } from '../src/errors.js';
import {
  ObjectiveRefused,
  replanSteps,
  stepsForTokens,
  trainingFlops,
  type Budget,
  type CurvePoint,
  type PlannedRun,
  type RunRecord,
} from '../src/experiments/index.js';
import {
  LOG_FILE,
  RUN_CONFIG,
  TOKENIZER_FILE,
  checkpointFiles,
  prepareRun,
  trainEvents,
  type EvalResult,
  type PreparedRun,
} from '../src/train/index.js';
import { writeFileAtomic } from './output.js';
import { Progress } from './progress.js';
import { prepareData, type TrainInputs } from './train-data.js';
import { TrainLog, evalRow, stepRow } from './train-log.js';
import { writeCheckpoint } from './train-run.js';
import { evaluateRun, type EvalSetup } from './compare-eval.js';

export interface RunSetup {
  layers: ConfigLayer[];
  /** the option flags a run of this training name takes (its objective's own options) */
  options: (objective: string) => ConfigLayer;
  budget: Budget;
  runsDir: string;
  engine: Engine;
  evals: EvalSetup;
  /** inputs per objective (the same tokenizer and split for every seed) */
  inputs: Map<string, TrainInputs>;
}

/** The resolved config of a run; a PretextError names why the objective or a knob is refused. */
export function runConfig(
  s: Pick<RunSetup, 'layers' | 'options'>,
  objective: string,
  seed: number,
  steps?: number,
): Readonly<Config> {
  return resolveConfig(...s.layers, s.options(objective), {
    source: 'compare',
    values: { objective, seed, ...(steps ? { steps } : {}) },
  });
}

async function inputsOf(s: RunSetup, config: Readonly<Config>, dir: string): Promise<TrainInputs> {
  let inputs = s.inputs.get(config.objective);
  if (!inputs) s.inputs.set(config.objective, (inputs = await prepareData(config, dir)));
  return inputs;
}

// Steps a wall-clock budget buys: a throwaway run takes five warm-up steps (the first ones allocate and compile),
// then is timed over at least 3 steps and until 5% of the budget (at most 15 s) has passed. The budget's end also
// stops a run whose steps turn out slower; one whose steps turn out faster ends at its planned step (the schedule's).
function calibrate(config: Readonly<Config>, inputs: TrainInputs, engine: Engine, seconds: number): number {
  const probe = prepareRun(config, inputs.tokenizer.vocabInfo(), inputs.data, engine);
  for (let i = 0; i < 5; i++) probe.trainer.trainStep();
  const t0 = performance.now();
  let steps = 0;
  const enough = Math.min(15, 0.05 * seconds) * 1000;
  while (steps < 3 || performance.now() - t0 < enough) probe.trainer.trainStep(), steps++;
  const perStep = Math.max((performance.now() - t0) / 1000 / steps, 1e-4);
  return Math.max(1, Math.floor(seconds / perStep));
}

// Share of the (non-padding) input positions of a few training batches that carry each loss term: the family's first
// term at the positions it predicts (masked tokens, next tokens, T5's targets, one sentence vector per SimCSE row), the
// pair loss at one [CLS] per row (1 / seq len of a full row), ELECTRA's discriminator at every real token. The
// headline share is the discriminator's where there is one, else the first term's plus the pair's.
function lossShares(
  run: PreparedRun,
  config: Readonly<Config>,
): { lossShare: number; lossShares: Record<string, number> } {
  const B = config.batchSize;
  const batches = Math.min(4, run.trainer.batchesPerEpoch);
  const first = run.task.family.losses[0];
  const counts: Record<string, number> = { [first]: 0, pair: 0, rtd: 0 };
  let tokens = 0;
  for (let k = 0; k < batches; k++) {
    const batch = run.rows.train.batch(
      Int32Array.from({ length: B }, (_, i) => k * B + i),
      config.seed,
      0,
    );
    const out = run.model.forward(batch, {});
    counts[first] += out.count;
    if (batch.next_sentence_label) counts.pair += batch.batchSize;
    if (out.rtd) counts.rtd += out.rtd.logits.length;
    const mask = batch.attention_mask;
    tokens +=
      mask && mask.length === batch.batchSize * batch.length
        ? mask.reduce((a, x) => a + x, 0)
        : batch.batchSize * batch.length;
  }
  const shares = Object.fromEntries(
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => [k, n / tokens]),
  );
  return { lossShare: shares.rtd ?? (shares[first] ?? 0) + (shares.pair ?? 0), lossShares: shares };
}

/** Train and evaluate one run; throws a PretextError before training when the objective cannot be trained. */
export async function trainRun(s: RunSetup, planned: PlannedRun, label: string): Promise<RunRecord> {
  const dir = join(s.runsDir, `${planned.objective.replace(/[^a-z0-9+.-]/gi, '_')}-seed-${planned.seed}`);
  rmSync(dir, { recursive: true, force: true }); // a run an earlier invocation left unfinished starts over
  const { config, inputs, run } = await refusable(async () => {
    const draft = runConfig(s, planned.objective, planned.seed);
    const inputs = await inputsOf(s, draft, dir);
    const steps =
      s.budget.kind === 'tokens'
        ? stepsForTokens(s.budget.value, draft.batchSize * draft.seqLen)
        : calibrate(draft, inputs, s.engine, s.budget.value);
    const config = runConfig(s, planned.objective, planned.seed, steps);
    return { config, inputs, run: prepareRun(config, inputs.tokenizer.vocabInfo(), inputs.data, s.engine) };
  });
  mkdirSync(dir, { recursive: true });
  const tokenizerJson = JSON.stringify(inputs.tokenizer.toJSON());
  writeFileAtomic(join(dir, RUN_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
  writeFileAtomic(join(dir, TOKENIZER_FILE), tokenizerJson);
  const trained = train(run, config, dir, s.budget, label);
  const final = run.trainer.config; // its steps as the last replan set them
  if (final.steps !== config.steps) writeFileAtomic(join(dir, RUN_CONFIG), `${JSON.stringify(final, null, 2)}\n`);
  writeCheckpoint(dir, run.trainer.step, checkpointFiles(run.trainer, tokenizerJson, trained.seconds, final), 1);
  const params = run.model.parameters().reduce((n, p) => n + p.data.length, 0);
  const evaluated = await evaluateRun(s.evals, run.model, inputs.tokenizer, config, dir, run.rows.validation);
  return {
    id: planned.id,
    objective: planned.objective,
    seed: planned.seed,
    architecture: run.model.config.architectures[0],
    parameters: params,
    trained: {
      steps: run.trainer.step,
      tokens: trained.tokens,
      seconds: Number(trained.seconds.toFixed(3)),
      flops: trainingFlops(params, trained.tokens),
    },
    ...lossShares(run, config),
    trainLoss: trained.trainLoss,
    curve: trained.curve,
    evals: evaluated.evals,
    sample: evaluated.sample,
    dir,
    finishedAt: new Date().toISOString(),
  };
}

// Setting a run up: a PretextError there means the trainer refuses the objective (with this config).
async function refusable<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PretextError) throw new ObjectiveRefused(`the trainer refuses it (${e.message})`);
    throw e;
  }
}

interface Trained {
  tokens: number;
  seconds: number;
  trainLoss: [number, number][];
  curve: CurvePoint[];
}

// A validation point: loss, the accuracy or perplexity, and every other val_ figure of the family by its name.
function curvePoint(r: EvalResult, tokens: number): CurvePoint {
  const figures = Object.fromEntries(
    Object.entries(r)
      .filter(
        ([k, v]) =>
          k.startsWith('val_') && !['val_loss', 'val_accuracy', 'val_ppl'].includes(k) && typeof v === 'number',
      )
      .map(([k, v]) => [k.slice(4), v as number]),
  );
  return {
    step: r.step,
    tokens,
    val_loss: r.val_loss,
    val_accuracy: r.val_accuracy,
    val_ppl: r.val_ppl,
    ...(Object.keys(figures).length ? { figures } : {}),
  };
}

// The loop: steps until the plan's end or (wall-clock budget) until the training seconds reach it.
function train(run: PreparedRun, config: Readonly<Config>, dir: string, budget: Budget, label: string): Trained {
  const log = new TrainLog(join(dir, LOG_FILE));
  const progress = new Progress({
    total: config.steps,
    start: 0,
    tty: process.stderr.isTTY === true,
    every: Math.max(1, Math.round(config.steps / 4)),
    label,
  });
  const out: Trained = { tokens: 0, seconds: 0, trainLoss: [], curve: [] };
  const t0 = performance.now();
  const over = () => budget.kind === 'seconds' && out.seconds >= budget.value;
  // A wall-clock run replans every 5% of its planned steps at the pace so far, so that its schedule ends with the
  // budget when the steps run slower (or faster, up to the plan) than the calibration said.
  const { trainer } = run;
  const plan = {
    get steps() {
      return trainer.config.steps; // as the last replan set them
    },
    evalEvery: Math.max(1, Math.round(config.steps / 4)),
    saveEvery: 0,
  };
  const replanEvery = Math.max(1, Math.round(config.steps / 20));
  try {
    for (const ev of trainEvents(trainer, plan, over)) {
      if (ev.type === 'step') {
        out.tokens += ev.tokens;
        out.seconds += ev.seconds;
        if (budget.kind === 'seconds' && ev.step % replanEvery === 0) {
          const steps = replanSteps(config.steps, plan.steps, ev.step, out.seconds, budget.value);
          if (steps !== plan.steps) {
            trainer.replan(steps);
            progress.retarget(steps);
          }
        }
        out.trainLoss.push([ev.step, Number(ev.loss.toFixed(5))]);
        log.write(stepRow(ev, (performance.now() - t0) / 1000, process.memoryUsage.rss()));
        progress.step(ev.step, ev.loss, ev.lr, ev.tokens, ev.seconds);
      } else if (ev.type === 'eval') {
        log.write(evalRow(ev));
        out.curve.push(curvePoint(ev, ev.step * config.batchSize * config.seqLen));
      }
    }
    const last = out.curve.at(-1);
    if (run.trainer.canEvaluate && last && last.step !== run.trainer.step) {
      const r = run.trainer.evaluate();
      log.write(evalRow({ type: 'eval', ...r, seconds: 0 }));
      out.curve.push(curvePoint(r, out.tokens));
    }
  } finally {
    progress.finish();
    log.close();
  }
  if (out.curve.length === 0) throw new PretextError(`${label}: no validation rows (is the validation split empty?)`);
  return out;
}
