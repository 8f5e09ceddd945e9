// What `pretext train --out RUN` may do with the folder it is given, decided before anything is read or written:
// start a new run, resume the newest checkpoint, start a run killed before its first checkpoint again from step 0
// (--resume), or replace a run (--overwrite). Each refusal is one line that names the choices. And whether the
// run's memory fits, from its config, before the folder is made.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../src/config/index.js';
import { PretextError } from '../src/errors.js';
import { memoryNeed } from '../src/train/memory-need.js';
import { LOG_FILE, RUN_CONFIG, TOKENIZER_FILE, checkpointStep } from '../src/train/index.js';
import { listCheckpoints } from './train-run.js';

export interface FolderPlan {
  /** the newest checkpoint, when --resume continues one */
  latest?: { dir: string; step: number };
  /** --resume of a run that has run-config.json but no checkpoint: it starts again from step 0 */
  restart: boolean;
  /** --overwrite of a folder that holds a run: its run files go before the new run's are written */
  replace: boolean;
}

/** What train does with `runDir`; a one-line PretextError when it cannot. */
export function planFolder(runDir: string, resume: boolean, overwrite: boolean): FolderPlan {
  if (existsSync(runDir) && !statSync(runDir).isDirectory())
    throw new PretextError(
      `--out ${runDir} is a file; give a folder for the run (it holds run-config.json, log.jsonl and checkpoints)`,
    );
  if (resume && overwrite)
    throw new PretextError('--resume continues the run in --out and --overwrite replaces it: give one of them');
  const latest = listCheckpoints(runDir)[0];
  const started = existsSync(join(runDir, RUN_CONFIG));
  if (resume) {
    if (!started) throw new PretextError(`--resume: no run in ${runDir} (${RUN_CONFIG} is missing)`);
    return { latest, restart: !latest, replace: false };
  }
  if (!overwrite && latest)
    throw new PretextError(
      `${runDir} already holds a run (at step ${latest.step}); pass --resume to continue it, or --overwrite to replace it`,
    );
  if (!overwrite && started)
    throw new PretextError(
      `${runDir} holds a run stopped before its first checkpoint; pass --resume to start it again from step 0 with its ${RUN_CONFIG}, or --overwrite to replace it`,
    );
  return { restart: false, replace: overwrite && (started || latest !== undefined) };
}

/** A resumed run must have steps left: --steps at or below the steps done is refused (nothing would train). */
export function checkStepsLeft(
  runDir: string,
  config: Readonly<Config>,
  latest: { step: number } | undefined,
  stepsGiven: boolean,
): void {
  if (!latest || config.steps > latest.step) return;
  const extend = `give --steps above ${latest.step} to extend it`;
  if (!stepsGiven)
    throw new PretextError(`--resume: ${runDir} is complete (${latest.step} of ${config.steps} steps); ${extend}`);
  throw new PretextError(
    `--resume: ${runDir} has done ${latest.step} steps, so --steps ${config.steps} would train none; ${extend}`,
  );
}

/** Remove a run's files from `runDir` (run-config.json, log.jsonl, tokenizer.json, checkpoints); other files stay. */
export function clearRun(runDir: string): void {
  for (const name of readdirSync(runDir)) {
    const isRunFile =
      name === RUN_CONFIG || name === LOG_FILE || name === TOKENIZER_FILE || checkpointStep(name) !== undefined;
    if (isRunFile) rmSync(join(runDir, name), { recursive: true, force: true });
  }
}

const WASM_MAX_BYTES = 4 * 1024 ** 3; // a wasm32 memory's 65536 pages
const gb = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 2 : 1)} GB`;

/**
 * Refuse a run whose estimated memory (src/train/memory-need.ts) exceeds what its engine can hold: the wasm
 * engine's 4 GB memory, or this machine's RAM for the reference engine. One line with the size it needs.
 */
export function checkMemory(config: Readonly<Config>, vocabSize: number): void {
  const need = memoryNeed(config, vocabSize);
  const wasm = config.engine === 'wasm';
  const limit = wasm ? Math.min(WASM_MAX_BYTES, totalmem()) : totalmem();
  if (need.totalBytes <= limit) return;
  const where =
    wasm && limit === WASM_MAX_BYTES ? 'the wasm engine holds at most 4 GB' : `this machine has ${gb(limit)}`;
  const sizes = `(activations ${gb(need.activationBytes)}, parameters with gradients and optimizer state ${gb(need.stateBytes)})`;
  const fits = Math.floor((limit - need.stateBytes) / need.bytesPerRow);
  const needs = `training needs about ${gb(need.totalBytes)} ${sizes} and ${where}`;
  if (fits < 1)
    throw new PretextError(
      `the model does not fit: ${needs}; give a smaller --hidden-size, --num-layers or --vocab-size`,
    );
  throw new PretextError(
    `--batch-size ${config.batchSize} x --seq-len ${config.seqLen} does not fit: ${needs}; at most --batch-size ${fits} fits, and --grad-accum N trains batches N times that size in the same memory`,
  );
}
