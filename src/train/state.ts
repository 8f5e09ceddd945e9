// trainer-state.json and the optimizer's moments: everything beyond the weights that a bit-identical resume needs.
// Moments go to a safetensors file as exp_avg.<param> / exp_avg_sq.<param> (torch AdamW's state names).
import { ensure } from '../errors.js';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../model/safetensors.js';
import type { AdamWState } from './optimizer.js';

export const OPTIMIZER_FILE = 'optimizer.safetensors';

export interface TrainerState {
  format: 'pretext-trainer-state';
  version: 1;
  /** optimizer steps done */
  step: number;
  /** where the next batch comes from: epoch and batch within its shuffled order */
  epoch: number;
  batch_in_epoch: number;
  tokens_seen: number;
  /** the dropout stream (Rng.getState) */
  rng: number[];
  optimizer: { file: string; step: number };
}

/** Check a parsed trainer-state.json; throws a one-line PretextError naming the bad field. */
export function parseTrainerState(json: unknown, where = 'trainer-state.json'): TrainerState {
  const s = json as Partial<TrainerState>;
  ensure(
    typeof s === 'object' && s !== null && s.format === 'pretext-trainer-state',
    `${where}: not a pretext trainer state`,
  );
  ensure(s.version === 1, `${where}: version ${s.version} is not supported (1)`);
  for (const k of ['step', 'epoch', 'batch_in_epoch', 'tokens_seen'] as const)
    ensure(Number.isSafeInteger(s[k]) && (s[k] as number) >= 0, `${where}: ${k} must be a non-negative integer`);
  ensure(
    Array.isArray(s.rng) && s.rng.length === 4 && s.rng.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32),
    `${where}: rng must be 4 uint32 words`,
  );
  ensure(
    typeof s.optimizer?.file === 'string' && Number.isSafeInteger(s.optimizer.step),
    `${where}: optimizer must name its file and step`,
  );
  return s as TrainerState;
}

/** AdamW moments -> safetensors bytes (flat [n] tensors). */
export function encodeMoments(state: AdamWState): Uint8Array {
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, m] of Object.entries(state.m)) tensors.set(`exp_avg.${name}`, { shape: [m.length], data: m });
  for (const [name, v] of Object.entries(state.v)) tensors.set(`exp_avg_sq.${name}`, { shape: [v.length], data: v });
  return writeSafetensors(tensors, { format: 'pretext-adamw', step: String(state.step) });
}

/** safetensors bytes -> AdamW moments at `step`. */
export function decodeMoments(bytes: Uint8Array, step: number): AdamWState {
  const { tensors } = readSafetensors(bytes);
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const [key, t] of tensors) {
    ensure(t.data instanceof Float32Array, `${OPTIMIZER_FILE}: ${key} is not a float tensor`);
    if (key.startsWith('exp_avg.')) m[key.slice(8)] = t.data;
    else if (key.startsWith('exp_avg_sq.')) v[key.slice(11)] = t.data;
  }
  return { step, m, v };
}
