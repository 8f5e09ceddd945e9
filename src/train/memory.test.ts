// Memory stays flat: after warm-up, hundreds of steps (with validation) allocate no engine memory and leave the JS
// heap and RSS where they were, within a small bound (garbage collected before each reading). The heap is counted
// without V8's code spaces: compiled code grows once as the loop gets optimised (0.2-0.3 MB alone, over 0.5 MB on a
// loaded machine, where the optimising compiler finishes late), while a leak of data lands in the other spaces.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { smallConfig, smallRun } from './fixtures.case.js';
import { trainEvents } from './loop.js';
import type { Trainer } from './trainer.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MB = 1048576;

function reading(engineBytes: () => number) {
  gc();
  gc();
  const m = process.memoryUsage();
  const data = getHeapSpaceStatistics().filter((s) => !s.space_name.includes('code'));
  return { heap: data.reduce((sum, s) => sum + s.space_used_size, 0), rss: m.rss, engine: engineBytes() };
}

function run(trainer: Trainer, steps: number): void {
  for (const _ of trainEvents(trainer, { steps, evalEvery: 50, saveEvery: 100 })) {
    // drain
  }
}

describe('memory over many steps', () => {
  for (const objective of ['mlm', 'clm'] as const) {
    it(`${objective}: 300 steps after warm-up grow neither the engine, the heap nor the RSS`, async () => {
      const c = smallConfig(objective, { steps: 350, warmupRatio: 0.01 });
      const { trainer, model } = await smallRun(c);
      const e = model.engine as { memoryUsed?: number };
      const engineBytes = () => e.memoryUsed ?? 0;
      run(trainer, 50);
      trainer.snapshot();
      const before = reading(engineBytes);
      run(trainer, 350);
      trainer.snapshot();
      const after = reading(engineBytes);
      expect(trainer.step).toBe(350);
      expect(after.engine).toBe(before.engine);
      expect((after.heap - before.heap) / MB).toBeLessThan(0.5); // a leaked batch a step (2.3 KB) would be 0.7 MB
      expect((after.rss - before.rss) / MB).toBeLessThan(16);
      model.engine.dispose();
    });
  }
});
