// Trainer.replan: a run cut short (or lengthened) mid-way follows the schedule of a run planned that long, and a
// loop over a shared plan ends at the new step count.
import { describe, expect, it } from 'vitest';
import { smallConfig, smallRun } from './fixtures.case.js';
import { trainEvents } from './loop.js';
import { learningRate } from './schedule.js';
import { scheduleOf } from './trainer.js';

describe('Trainer.replan', () => {
  it('the learning rate after a replan is the schedule of the new length; the loop ends there', async () => {
    const config = smallConfig('mlm', { steps: 20, warmupRatio: 0.2, lr: 1e-3, evalEvery: 0 });
    const run = await smallRun(config);
    const plan = { steps: 20, evalEvery: 0, saveEvery: 0 };
    const lrs: number[] = [];
    for (const e of trainEvents(run.trainer, plan)) {
      if (e.type !== 'step') continue;
      lrs.push(e.lr);
      if (e.step === 6) run.trainer.replan((plan.steps = 12));
    }
    run.model.engine.dispose();
    expect(run.trainer.step).toBe(12);
    expect(run.trainer.config.steps).toBe(12);
    const long = scheduleOf(config);
    const short = scheduleOf({ ...config, steps: 12 });
    expect(lrs.slice(0, 6)).toEqual(lrs.slice(0, 6).map((_, s) => learningRate(s, 1e-3, long)));
    expect(lrs.slice(6)).toEqual([6, 7, 8, 9, 10, 11].map((s) => learningRate(s, 1e-3, short)));
    expect(lrs[11]).toBeGreaterThan(0);
    expect(learningRate(12, 1e-3, short)).toBe(0); // the decay ends at the new last step
  });

  it('refuses a length at or below the steps done', async () => {
    const run = await smallRun(smallConfig('mlm', { steps: 4, evalEvery: 0 }));
    run.trainer.trainStep();
    run.trainer.trainStep();
    expect(() => run.trainer.replan(2)).toThrow('replan: steps must be an integer above the 2 done, got 2');
    expect(() => run.trainer.replan(2.5)).toThrow('replan: steps must be an integer');
    run.trainer.replan(3);
    expect(run.trainer.config.steps).toBe(3);
    expect(Object.isFrozen(run.trainer.config)).toBe(true);
    run.model.engine.dispose();
  });
});
