import { describe, expect, it } from 'vitest';
import { smallConfig, smallRun } from './fixtures.case.js';
import { trainEvents, type TrainEvent } from './loop.js';

describe('training smoke run', () => {
  for (const objective of ['mlm', 'clm'] as const) {
    it(`${objective}: the loss falls over 40 steps and validation improves`, async () => {
      const config = smallConfig(objective);
      const { trainer, model } = await smallRun(config);
      const events: TrainEvent[] = [...trainEvents(trainer, config)];
      const steps = events.filter((e) => e.type === 'step');
      const evals = events.filter((e) => e.type === 'eval');
      expect(steps.map((e) => e.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(evals.map((e) => e.step)).toEqual([0, 20, 40]);
      expect(events.at(-1)).toEqual({ type: 'save', step: 40, final: true });
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const first = mean(steps.slice(0, 5).map((e) => e.loss));
      const last = mean(steps.slice(-5).map((e) => e.loss));
      expect(first).toBeGreaterThan(Math.log(600) - 0.5); // ~ln V at init
      expect(last).toBeLessThan(first - 0.3);
      expect(evals[2].val_loss).toBeLessThan(evals[0].val_loss - 0.4);
      if (objective === 'mlm') expect(evals[2].val_accuracy).toBeGreaterThan(evals[0].val_accuracy!);
      else expect(evals[2].val_ppl).toBeCloseTo(Math.exp(evals[2].val_loss), 6);
      model.engine.dispose();
    });
  }
});
