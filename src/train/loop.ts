// The training loop as a stream of events: the caller (the CLI, a test, the playground) decides what to print, log
// or write. Validation at the start (step 0), every evalEvery steps and at the end; a 'save' event every saveEvery
// steps and at the end. `shouldStop`, asked before each step, ends the run early with a final 'save'.
import type { EvalResult, StepResult, Trainer } from './trainer.js';

export interface LoopPlan {
  /** run until this many optimizer steps are done */
  steps: number;
  /** 0 = no validation */
  evalEvery: number;
  /** 0 = save only at the end */
  saveEvery: number;
}

export type TrainEvent =
  | ({ type: 'step'; seconds: number } & StepResult)
  | ({ type: 'eval'; seconds: number } & EvalResult)
  | { type: 'save'; step: number; final: boolean; stopped?: boolean };

const now = (): number => globalThis.performance.now();

/** Events from the trainer's current step to plan.steps. */
export function* trainEvents(
  trainer: Trainer,
  plan: LoopPlan,
  shouldStop: () => boolean = () => false,
): Generator<TrainEvent> {
  const validate = plan.evalEvery > 0 && trainer.canEvaluate;
  const evaluate = (): TrainEvent => {
    const t0 = now();
    const r = trainer.evaluate();
    return { type: 'eval', seconds: (now() - t0) / 1000, ...r };
  };
  if (validate && trainer.step === 0) yield evaluate();
  let saved = -1;
  while (trainer.step < plan.steps) {
    if (shouldStop()) {
      if (saved !== trainer.step) yield { type: 'save', step: trainer.step, final: true, stopped: true };
      return;
    }
    const t0 = now();
    const r = trainer.trainStep();
    yield { type: 'step', seconds: (now() - t0) / 1000, ...r };
    const last = r.step === plan.steps;
    if (validate && (r.step % plan.evalEvery === 0 || last)) yield evaluate();
    if (last || (plan.saveEvery > 0 && r.step % plan.saveEvery === 0)) {
      saved = r.step;
      yield { type: 'save', step: r.step, final: last };
    }
  }
}
