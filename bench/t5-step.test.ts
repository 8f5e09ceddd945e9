// The T5 bench step is a real training step: its batch is span corruption's (encoder shorter than the raw rows,
// decoder targets end in eos, sentinels at the top of the vocabulary), and repeating it on one batch lowers the loss.
import { describe, expect, it } from 'vitest';
import { presetLayer, resolveConfig } from '../src/config/index.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { t5Batch, t5Step } from './t5-step.js';

describe('bench:train T5 step', () => {
  const config = resolveConfig(presetLayer('tiny'), {
    source: 'bench',
    values: { dropout: 0, steps: 1000, batchSize: 2, seqLen: 24, hiddenSize: 16, ffnSize: 32, vocabSize: 64 },
  });

  it('collates span-corrupted rows for the encoder-decoder', () => {
    const b = t5Batch(config);
    expect(b.batchSize).toBe(2);
    expect(b.length).toBeLessThan(24);
    const labels = b.labels as Int32Array;
    const Td = b.decoderLength as number;
    expect(labels.length).toBe(2 * Td);
    expect(labels[0]).toBe(64 + 100 - 1); // the first sentinel
    expect(Array.from(labels).filter((x) => x === 1).length).toBe(2); // one eos per row
  });

  it('trains: ten steps on one batch lower the loss', () => {
    const { step } = t5Step(config, createReferenceEngine());
    const first = step();
    let last = first;
    for (let i = 0; i < 9; i++) last = step();
    expect(last).toBeLessThan(first * 0.8);
  });
});
