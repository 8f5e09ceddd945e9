// The BERT and GPT-2 bench steps are real training steps: BERT's batch masks about 15% of the inner positions (the
// pair head's also carries segments and next-sentence labels), each model's config names its HF architecture, and
// repeating a step on its batch lowers the loss.
import { describe, expect, it } from 'vitest';
import { presetLayer, resolveConfig } from '../src/config/index.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { archStep } from './arch-steps.js';

describe('bench:train BERT and GPT-2 steps', () => {
  const config = resolveConfig(presetLayer('tiny'), {
    source: 'bench',
    values: { dropout: 0, steps: 1000, batchSize: 4, seqLen: 40, hiddenSize: 16, ffnSize: 32, vocabSize: 64, lr: 1e-2 },
  });
  const engine = createReferenceEngine();

  it('masks ~15% of BERT positions; the pair batch has segments and labels', () => {
    const s = archStep('bert-pair', config, engine);
    const labels = Array.from(s.batch.labels as Int32Array);
    const masked = labels.filter((l) => l !== -100).length;
    expect(masked).toBeGreaterThan(0.05 * 4 * 38);
    expect(masked).toBeLessThan(0.3 * 4 * 38);
    expect(labels.every((l, i) => l === -100 || (s.batch.input_ids[i] === 4 && l >= 5))).toBe(true);
    expect(s.batch.next_sentence_label?.length).toBe(4);
    expect(Array.from(s.batch.token_type_ids as Int32Array).slice(0, 40)).toEqual(
      Array.from({ length: 40 }, (_, t) => (t >= 20 ? 1 : 0)),
    );
    expect(s.config.architectures[0]).toBe('BertForPreTraining');
    expect(archStep('bert-mlm', config, engine).config.architectures[0]).toBe('BertForMaskedLM');
  });

  for (const arch of ['bert-mlm', 'bert-pair', 'gpt2'] as const) {
    it(`${arch} trains: ten steps on one batch lower the loss`, () => {
      const { step } = archStep(arch, config, engine);
      const first = step();
      let last = first;
      for (let i = 0; i < 9; i++) last = step();
      expect(last).toBeLessThan(first * 0.8);
    });
  }
});
