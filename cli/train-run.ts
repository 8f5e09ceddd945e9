// A run folder on disk (layout: src/train/checkpoint.ts): checkpoint-<step>/ folders, each written to a temporary
// folder and renamed into place (a rename is atomic, so a checkpoint folder is always complete).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PretextError } from '../src/errors.js';
import { loadModel, parseModelConfig, type Model, type ModelConfig } from '../src/model/index.js';
import type { Engine } from '../src/engine/engine.js';
import { loadTokenizer, type Tokenizer } from '../src/tokenize/index.js';
import { MODEL_CONFIG, MODEL_WEIGHTS, TOKENIZER_FILE, checkpointName, checkpointStep } from '../src/train/index.js';

const TMP = '.tmp-';

/** checkpoint-<step> folders in `runDir`, newest first. */
export function listCheckpoints(runDir: string): { dir: string; step: number }[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir)
    .map((n) => ({ dir: join(runDir, n), step: checkpointStep(n) }))
    .filter((c): c is { dir: string; step: number } => c.step !== undefined)
    .sort((a, b) => b.step - a.step);
}

/** Write `files` as checkpoint-<step>/ atomically, then keep only the newest `keep` checkpoints. Returns the folder. */
export function writeCheckpoint(
  runDir: string,
  step: number,
  files: Record<string, string | Uint8Array>,
  keep: number,
): string {
  const final = join(runDir, checkpointName(step));
  const tmp = join(runDir, `${TMP}${checkpointName(step)}-${process.pid}`);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(dirname(join(tmp, name)), { recursive: true }); // a model part's folder (ELECTRA's generator/)
      writeFileSync(join(tmp, name), data);
    }
    if (existsSync(final)) rmSync(final, { recursive: true, force: true }); // re-saving the same step
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new PretextError(`cannot write checkpoint ${final}: ${(e as Error).message.split('\n')[0]}`);
  }
  for (const old of listCheckpoints(runDir).slice(keep)) rmSync(old.dir, { recursive: true, force: true });
  return final;
}

/** Remove temporary checkpoint folders an interrupted write left behind. */
export function removeStaleTemps(runDir: string): void {
  if (!existsSync(runDir)) return;
  for (const n of readdirSync(runDir)) if (n.startsWith(TMP)) rmSync(join(runDir, n), { recursive: true, force: true });
}

/** A checkpoint folder: the `--run` folder itself when it holds a model, else its newest checkpoint. */
export function checkpointDir(run: string): string {
  if (!existsSync(run)) throw new PretextError(`no run at ${run} (train one with: pretext train --out ${run})`);
  if (!statSync(run).isDirectory())
    throw new PretextError(`${run} is a file, not a run folder (pretext train --out writes one)`);
  if (existsSync(join(run, MODEL_WEIGHTS))) return run;
  const latest = listCheckpoints(run)[0];
  if (!latest)
    throw new PretextError(`${run} has no checkpoint yet (training saves one every --save-every steps and at the end)`);
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
  const configText = readText(join(dir, MODEL_CONFIG));
  let config: ModelConfig;
  try {
    config = parseModelConfig(configText);
  } catch (e) {
    throw new PretextError(`${join(dir, MODEL_CONFIG)}: ${(e as Error).message}`);
  }
  const tokenizer = loadTokenizer(readText(join(dir, TOKENIZER_FILE)));
  return {
    dir,
    config,
    tokenizer,
    load: (engine) => loadModel(configText, new Uint8Array(readFileSync(join(dir, MODEL_WEIGHTS))), engine),
  };
}
