// Learning-rate schedules as HF transformers' optimization.py lr_lambdas: a multiplier of the peak lr at scheduler
// step `step`, 0-based as torch's LambdaLR counts (HF Trainer's first optimizer step uses step 0).
import { ensure } from '../errors.js';

export type ScheduleKind = 'linear' | 'cosine' | 'constant';

export interface Schedule {
  kind: ScheduleKind;
  warmupSteps: number;
  /** Total optimizer steps (linear / cosine decay reach 0 here). */
  totalSteps: number;
  /** Cosine waves over the decay (HF num_cycles, default 0.5: one half-wave from 1 to 0). */
  numCycles?: number;
}

/**
 * The multiplier at `step`: warm-up step / max(1, warmup), then
 * linear   max(0, (total - step) / max(1, total - warmup))          (get_linear_schedule_with_warmup)
 * cosine   max(0, 0.5 (1 + cos(pi * numCycles * 2 * progress)))     (get_cosine_schedule_with_warmup)
 * constant 1                                                        (get_constant_schedule_with_warmup)
 * e.g. linear, warmup 2, total 6: steps 0..6 -> 0, 0.5, 1, 0.75, 0.5, 0.25, 0.
 */
export function lrMultiplier(step: number, s: Schedule): number {
  ensure(Number.isInteger(step) && step >= 0, `schedule: step must be a non-negative integer, got ${step}`);
  ensure(
    Number.isInteger(s.warmupSteps) && s.warmupSteps >= 0 && Number.isInteger(s.totalSteps) && s.totalSteps >= 0,
    'schedule: warmupSteps and totalSteps must be non-negative integers',
  );
  if (step < s.warmupSteps) return step / Math.max(1, s.warmupSteps);
  if (s.kind === 'constant') return 1;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  if (s.kind === 'linear') return Math.max(0, (s.totalSteps - step) / span);
  const progress = (step - s.warmupSteps) / span;
  return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * (s.numCycles ?? 0.5) * 2 * progress)));
}

/** peak * lrMultiplier(step, schedule). */
export function learningRate(step: number, peak: number, s: Schedule): number {
  return peak * lrMultiplier(step, s);
}
