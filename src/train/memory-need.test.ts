// The memory estimate against what the engine really allocates for a step: within a factor of 1.5 either way, at
// two batch sizes (the activations part scales with the rows), for an encoder (post-LN, pre-LN, relative_key) and a decoder.
import { describe, expect, it } from 'vitest';
import { smallConfig, smallRun, wasmBuilt } from './fixtures.case.js';
import { memoryNeed } from './memory-need.js';

describe.runIf(wasmBuilt)('memoryNeed', () => {
  for (const [objective, model, positionEmbedding] of [
    ['mlm', 'auto', 'absolute'],
    ['mlm', 'pre-ln', 'absolute'],
    ['mlm', 'auto', 'relative_key'],
    ['clm', 'auto', 'absolute'],
  ] as const) {
    it(`${objective} (model ${model}, ${positionEmbedding} positions): the estimate is within 1.5x of the wasm engine's allocations after a step`, async () => {
      for (const batchSize of [8, 32]) {
        const c = smallConfig(objective, {
          model,
          positionEmbedding,
          batchSize,
          seqLen: 64,
          maxPositions: 64,
          hiddenSize: 64,
          ffnSize: 256,
        });
        const run = await smallRun(c);
        const engine = run.model.engine as unknown as { memoryUsed: number };
        const before = engine.memoryUsed;
        run.trainer.trainStep();
        const used = engine.memoryUsed;
        const need = memoryNeed(c, run.model.config.vocab_size);
        run.model.engine.dispose();
        expect(need.totalBytes / used).toBeGreaterThan(1 / 1.5);
        expect(need.totalBytes / used).toBeLessThan(1.5);
      }
    });
  }
});
