// A run folder on disk: run-config.json, log.jsonl, and checkpoint-<step>/ folders, each written to a temporary
// folder and renamed into place (a rename is atomic, so a checkpoint folder is always complete).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PretextError } from '../src/errors.js';
import { loadModel, parseModelConfig, type Model, type ModelConfig } from '../src/model/index.js';
import type { Engine } from '../src/engine/engine.js';
import type { Config } from '../src/config/index.js';
import { loadTokenizer, type Tokenizer } from '../src/tokenize/index.js';
import { saveModel } from '../src/model/index.js';
import type { Trainer } from '../src/train/index.js';

export const RUN_CONFIG = 'run-config.json';
export const LOG_FILE = 'log.jsonl';
const PREFIX = 'checkpoint-';

/** checkpoint-<step> folders in `runDir`, newest first. */
export function listCheckpoints(runDir: string): { dir: string; step: number }[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir)
    .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
    .map((n) => ({ dir: join(runDir, n), step: Number(n.slice(PREFIX.length)) }))
    .sort((a, b) => b.step - a.step);
}

/** Write `files` as checkpoint-<step>/ atomically, then keep only the newest `keep` checkpoints. Returns the folder. */
export function writeCheckpoint(runDir: string, step: number, files: Record<string, string | Uint8Array>, keep: number): string {
  const final = join(runDir, `${PREFIX}${step}`);
  const tmp = join(runDir, `.tmp-${PREFIX}${step}-${process.pid}`);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp, name), data);
    if (existsSync(final)) rmSync(final, { recursive: true, force: true }); // re-saving the same step
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new PretextError(`cannot write checkpoint ${final}: ${(e as Error).message.split('\n')[0]}`);
  }
  for (const old of listCheckpoints(runDir).slice(keep)) rmSync(old.dir, { recursive: true, force: true });
  return final;
}

/** The files of a checkpoint: HF model + tokenizer, trainer-state.json (with elapsed_s and the config), moments. */
export function checkpointFiles(trainer: Trainer, tokenizerJson: string, elapsedS: number, config: Readonly<Config>): Record<string, string | Uint8Array> {
  const snap = trainer.snapshot();
  const { config: modelConfig, safetensors } = saveModel(trainer.model);
  return {
    'model.safetensors': safetensors,
    'config.json': modelConfig,
    'tokenizer.json': tokenizerJson,
    'trainer-state.json': `${JSON.stringify({ ...snap.state, elapsed_s: Number(elapsedS.toFixed(3)), config }, null, 2)}\n`,
    [snap.state.optimizer.file]: snap.optimizer,
  };
}

/** Remove temporary checkpoint folders an interrupted write left behind. */
export function removeStaleTemps(runDir: string): void {
  if (!existsSync(runDir)) return;
  for (const n of readdirSync(runDir)) if (n.startsWith(`.tmp-${PREFIX}`)) rmSync(join(runDir, n), { recursive: true, force: true });
}

/** A checkpoint folder: the `--run` folder itself when it holds a model, else its newest checkpoint. */
export function checkpointDir(run: string): string {
  if (!existsSync(run) || !statSync(run).isDirectory()) throw new PretextError(`no run at ${run} (train one with: pretext train --out ${run})`);
  if (existsSync(join(run, 'model.safetensors'))) return run;
  const latest = listCheckpoints(run)[0];
  if (!latest) throw new PretextError(`${run} has no checkpoint yet (training saves one every --save-every steps and at the end)`);
  return latest.dir;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new PretextError(`cannot read ${path}`);
  }
}

/** The model config, weights and tokenizer of a run or checkpoint folder. */
export interface SavedModel {
  dir: string;
  config: ModelConfig;
  tokenizer: Tokenizer;
  load(engine: Engine): Model;
}

export function openSavedModel(run: string): SavedModel {
  const dir = checkpointDir(run);
  const configText = readText(join(dir, 'config.json'));
  let config: ModelConfig;
  try {
    config = parseModelConfig(configText);
  } catch (e) {
    throw new PretextError(`${join(dir, 'config.json')}: ${(e as Error).message}`);
  }
  const tokenizer = loadTokenizer(readText(join(dir, 'tokenizer.json')));
  return {
    dir,
    config,
    tokenizer,
    load: (engine) => loadModel(configText, new Uint8Array(readFileSync(join(dir, 'model.safetensors'))), engine),
  };
}
