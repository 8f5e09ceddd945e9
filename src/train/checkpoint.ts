// The layout of a run folder and its checkpoints, as bytes in and out: run-config.json, log.jsonl and
// checkpoint-<step>/ holding the HF model (config.json + model.safetensors), tokenizer.json, trainer-state.json and
// the optimizer's moments. The CLI writes and reads the files (atomically); this module decides what is in them.
import type { Config } from '../config/config.js';
import { ensure, PretextError } from '../errors.js';
import { loadParts, loadStateDict, readSafetensors, saveModel, type Model } from '../model/index.js';
import { parseTrainerState } from './state.js';
import type { Trainer } from './trainer.js';

export const RUN_CONFIG = 'run-config.json';
export const LOG_FILE = 'log.jsonl';
export const MODEL_CONFIG = 'config.json';
export const MODEL_WEIGHTS = 'model.safetensors';
export const TOKENIZER_FILE = 'tokenizer.json';
export const TRAINER_STATE = 'trainer-state.json';
const PREFIX = 'checkpoint-';

/** The folder name of the checkpoint at `step`. */
export const checkpointName = (step: number): string => `${PREFIX}${step}`;

/** The step of a checkpoint folder name, or undefined for any other name. */
export function checkpointStep(name: string): number | undefined {
  return name.startsWith(PREFIX) && /^\d+$/.test(name.slice(PREFIX.length))
    ? Number(name.slice(PREFIX.length))
    : undefined;
}

/** The files of a checkpoint: HF model + tokenizer, trainer-state.json (with elapsed_s and the config), moments. */
export function checkpointFiles(
  trainer: Trainer,
  tokenizerJson: string,
  elapsedS: number,
  config: Readonly<Config>,
): Record<string, string | Uint8Array> {
  const snap = trainer.snapshot();
  const { files } = saveModel(trainer.model); // config.json + model.safetensors (and a part's own folder, ELECTRA's generator/)
  return {
    ...files,
    [TOKENIZER_FILE]: tokenizerJson,
    [TRAINER_STATE]: `${JSON.stringify({ ...snap.state, elapsed_s: Number(elapsedS.toFixed(3)), config }, null, 2)}\n`,
    [snap.state.optimizer.file]: snap.optimizer,
  };
}

/**
 * Continue `trainer` from a checkpoint whose files `read(name)` returns (throwing a PretextError when one is
 * missing): weights (strict), trainer state and moments. Returns the seconds the run had trained so far.
 */
export function restoreCheckpoint(trainer: Trainer, read: (name: string) => Uint8Array, where: string): number {
  loadParts(trainer.model, read);
  let raw: { elapsed_s?: number };
  try {
    raw = JSON.parse(new TextDecoder().decode(read(TRAINER_STATE))) as { elapsed_s?: number };
  } catch (e) {
    if (e instanceof PretextError) throw e;
    throw new PretextError(`${where}/${TRAINER_STATE}: not valid JSON`);
  }
  const state = parseTrainerState(raw, `${where}/${TRAINER_STATE}`);
  trainer.restore(state, read(state.optimizer.file));
  const elapsed = raw.elapsed_s ?? 0;
  ensure(
    typeof elapsed === 'number' && elapsed >= 0,
    `${where}/${TRAINER_STATE}: elapsed_s must be a non-negative number`,
  );
  return elapsed;
}

/**
 * Start `model` from another run's weights (--init-from): every tensor it shares by HF name (or alias) is copied,
 * shapes checked; parameters the file lacks keep their initial values (a pair head over an MLM run's encoder).
 */
export function initWeights(
  model: Model,
  safetensors: Uint8Array,
  where: string,
): { loaded: number; missing: string[]; unexpected: string[] } {
  const { missing, unexpected } = loadStateDict(model, readSafetensors(safetensors).tensors, { allowMissing: true });
  const loaded = model.parameters().length - missing.length;
  ensure(loaded > 0, `${where}: its weights share no parameter with a ${model.config.architectures[0]}`);
  return { loaded, missing, unexpected };
}
