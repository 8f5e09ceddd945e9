// Gradient accumulation: batch B x N in N micro-batches of B trains as one batch of B * N rows. The loss of the
// large batch is a mean over all its labelled positions (MLM: the selected ones only), so each micro-batch weighs
// by its share of them: per-step losses, gradient norms and the final weights equal up to float summation order.
import { describe, expect, it } from 'vitest';
import { smallConfig, smallRun } from './fixtures.case.js';
import { trainEvents } from './loop.js';
import { trainingNames } from '../objectives/index.js';
import { resolveTask } from './task.js';

async function train(objective: string, batchSize: number, gradAccum: number, steps = 6) {
  const run = await smallRun(smallConfig(objective, { batchSize, gradAccum, steps, evalEvery: 0 }));
  const losses: number[] = [];
  const norms: number[] = [];
  for (const e of trainEvents(run.trainer, { steps, evalEvery: 0, saveEvery: 0 })) {
    if (e.type === 'step') losses.push(e.loss), norms.push(e.gradNorm);
  }
  const weights = run.model.parameters().map((p) => Float32Array.from(p.data));
  run.model.engine.dispose();
  return { losses, norms, weights, batchesPerEpoch: run.trainer.batchesPerEpoch };
}

// Largest |a - b| / (|b| + floor) over the elements.
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + floor));
  return worst;
}

describe('--grad-accum', () => {
  for (const objective of ['mlm', 'clm', 'mlm+nsp', 'span-corruption']) {
    it(`${objective}: batch 4 x 4 micro-batches equals batch 16 (losses, grad norms, weights)`, async () => {
      const whole = await train(objective, 16, 1);
      const split = await train(objective, 4, 4);
      expect(split.batchesPerEpoch).toBe(whole.batchesPerEpoch);
      expect(split.losses).toHaveLength(6);
      expect(relDiff(split.losses, whole.losses, 0)).toBeLessThan(1e-5);
      expect(relDiff(split.norms, whole.norms, 0)).toBeLessThan(1e-4);
      let worst = 0;
      whole.weights.forEach((w, i) => (worst = Math.max(worst, relDiff(split.weights[i], w))));
      expect(worst).toBeLessThan(1e-4);
    });
  }

  // a family that does not declare its loss counts (in-batch negatives, or not yet declared) refuses, naming the flag
  const unsplit = trainingNames.find((name) => !resolveTask(smallConfig(name)).family.lossCounts);
  it.runIf(unsplit !== undefined)(
    `${unsplit}: a model family without lossCounts refuses --grad-accum 2 in one line`,
    () => {
      expect(() => resolveTask(smallConfig(unsplit as string, { gradAccum: 2 }))).toThrow(
        /^--grad-accum 2: the \w+ model family does not say how its loss splits into micro-batches \(ModelFamily\.lossCounts\); train .* with --grad-accum 1$/,
      );
      expect(() => resolveTask(smallConfig(unsplit as string, { gradAccum: 1 }))).not.toThrow();
    },
  );
});
