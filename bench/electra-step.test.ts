// The ELECTRA bench step is a real training step: its batch is the electra objective's (draws capped at
// int(0.155 x seqLen) per row, originals as labels there), the generator samples replacements that the
// discriminator must find, and repeating the step on one batch lowers both losses.
import { describe, expect, it } from 'vitest';
import { presetLayer, resolveConfig } from '../src/config/index.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { electraBatch, electraStep } from './electra-step.js';

describe('bench:train ELECTRA step', () => {
  const config = resolveConfig(presetLayer('tiny'), {
    source: 'bench',
    values: { dropout: 0, steps: 1000, batchSize: 2, seqLen: 40, hiddenSize: 16, ffnSize: 32, vocabSize: 64, lr: 3e-3 },
  });

  it('collates the electra objective: 6 draws per row of 40 (cap int(0.155 x 40) = 6), labels at the drawn positions', () => {
    const b = electraBatch(config);
    const drawn = b.masked_positions as Int32Array;
    expect(drawn.length).toBe(2 * 6);
    const labels = b.labels as Int32Array;
    for (let k = 0; k < drawn.length; k++) expect(labels[Math.floor(k / 6) * 40 + drawn[k]]).toBeGreaterThanOrEqual(5);
  });

  it('trains: twenty steps on one batch lower the generator and the discriminator loss', () => {
    const { step, model, batch } = electraStep(config, createReferenceEngine());
    const before = model.forward(batch);
    const [g0, d0] = [before.lmLoss as number, before.rtd?.loss as number];
    for (let i = 0; i < 20; i++) step();
    const after = model.forward(batch);
    expect(after.lmLoss).toBeLessThan(g0 * 0.9);
    expect(after.rtd?.loss).toBeLessThan(d0);
  });
});
