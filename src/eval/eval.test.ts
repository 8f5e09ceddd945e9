import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../model/index.js';
import type { Tokenizer } from '../tokenize/index.js';
import { smallConfig, smallRun } from '../train/fixtures.case.js';
import { trainEvents } from '../train/loop.js';
import { fillMask } from './fill-mask.js';
import { generate } from './generate.js';
import { maskPredict } from './mask-predict.js';
import { argmaxRow, correctPredictions, softmaxRow, topK } from './metrics.js';

describe('metrics', () => {
  it('argmax, softmax, top-k, accuracy', () => {
    const x = Float32Array.from([1, 3, 2, 0, 5, 5]); // [2, 3]
    expect([argmaxRow(x, 0, 3), argmaxRow(x, 1, 3)]).toEqual([1, 1]); // ties: first
    const p = softmaxRow(x, 0, 3, new Float64Array(3));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[1] / p[2]).toBeCloseTo(Math.E, 10);
    expect(softmaxRow(x, 0, 3, new Float64Array(3), 1e-9)[1]).toBeCloseTo(1, 12);
    expect(topK([0.1, 0.5, 0.2, 0.5], 3)).toEqual([
      { id: 1, value: 0.5 },
      { id: 3, value: 0.5 },
      { id: 2, value: 0.2 },
    ]);
    // labels at flat positions 4 and 9: row 0 predicts 1 (right), row 1 predicts 1 (wrong)
    const labels = new Int32Array(10).fill(-100);
    labels[4] = 1;
    labels[9] = 2;
    expect(correctPredictions(x, Int32Array.from([4, 9]), labels, 3)).toBe(1);
  });
});

describe('fill-mask and generate on tiny trained models', () => {
  let bert: { model: Model; tokenizer: Tokenizer };
  let gpt: { model: Model; tokenizer: Tokenizer };
  beforeAll(async () => {
    const train = async (objective: 'mlm' | 'clm') => {
      const c = smallConfig(objective, { steps: 30, evalEvery: 0 });
      const r = await smallRun(c);
      for (const _ of trainEvents(r.trainer, c)) {
        // train
      }
      return { model: r.model, tokenizer: r.tokenizer };
    };
    bert = await train('mlm');
    gpt = await train('clm');
  });
  afterAll(() => {
    bert?.model.engine.dispose();
    gpt?.model.engine.dispose();
  });

  it('fill-mask: one prediction per [MASK] with k tokens by falling probability', () => {
    const r = fillMask(bert.model, bert.tokenizer, 'The jury [MASK] the [MASK] of the city.', 4);
    const mask = bert.tokenizer.vocabInfo().maskId;
    expect(r.input_ids[0]).toBe(bert.tokenizer.vocabInfo().clsId);
    expect(r.predictions.map((p) => p.position)).toEqual(r.input_ids.flatMap((id, i) => (id === mask ? [i] : [])));
    expect(r.predictions).toHaveLength(2);
    for (const p of r.predictions) {
      expect(p.top).toHaveLength(4);
      for (const t of p.top)
        expect(t).toEqual({ id: expect.any(Number), token: bert.tokenizer.idToToken(t.id), prob: expect.any(Number) });
      const probs = p.top.map((t) => t.prob);
      expect([...probs].sort((a, b) => b - a)).toEqual(probs);
      expect(probs[0]).toBeLessThanOrEqual(1);
    }
    expect(fillMask(bert.model, bert.tokenizer, 'The jury [MASK] the [MASK] of the city.', 4)).toEqual(r);
  });

  it('fill-mask errors: no [MASK], a GPT-2 model, bad k', () => {
    expect(() => fillMask(bert.model, bert.tokenizer, 'No mask here.')).toThrow('the text has no [MASK] token to fill');
    expect(() => fillMask(gpt.model, gpt.tokenizer, 'a [MASK]')).toThrow('fill-mask needs a BERT (mlm) model');
    expect(() => fillMask(bert.model, bert.tokenizer, 'a [MASK]', 0)).toThrow('top-k must be a positive integer');
  });

  it('generate: same seed -> same text; greedy = top-k 1; seeds differ', () => {
    const o = { maxNewTokens: 12, temperature: 1, topK: 0, seed: 5, stopAtEos: false };
    const a = generate(gpt.model, gpt.tokenizer, 'The jury said', o);
    expect(a.output_ids).toHaveLength(12);
    expect(a.input_ids).toEqual(Array.from(gpt.tokenizer.encode('The jury said').ids));
    expect(a.text).toBe(gpt.tokenizer.decode([...a.input_ids, ...a.output_ids]));
    expect(generate(gpt.model, gpt.tokenizer, 'The jury said', o)).toEqual(a);
    const others = [6, 7, 8].map(
      (seed) => generate(gpt.model, gpt.tokenizer, 'The jury said', { ...o, seed }).output_ids,
    );
    expect(others.some((ids) => ids.join() !== a.output_ids.join())).toBe(true);
    const greedy = generate(gpt.model, gpt.tokenizer, 'The jury said', { ...o, temperature: 0 });
    expect(generate(gpt.model, gpt.tokenizer, 'The jury said', { ...o, topK: 1, seed: 99 }).output_ids).toEqual(
      greedy.output_ids,
    );
  });

  it('mask-predict: n tokens, pass k re-predicts floor(n (I - k + 1) / I), never a special token, seeded', () => {
    const o = { newTokens: 12, iterations: 5, temperature: 0, topK: 0, seed: 0 };
    const r = maskPredict(bert.model, bert.tokenizer, 'The jury said', o);
    expect(r.output_ids).toHaveLength(12);
    expect(r.steps.map((s) => s.predicted)).toEqual([12, 9, 7, 4, 2]);
    const specials = new Set(bert.tokenizer.vocabInfo().specialIds);
    expect(r.output_ids.some((id) => specials.has(id))).toBe(false);
    expect(r.steps.at(-1)?.completion).toBe(r.completion);
    expect(r.text).toBe(bert.tokenizer.decode([...r.input_ids, ...r.output_ids]));
    expect(maskPredict(bert.model, bert.tokenizer, 'The jury said', { ...o, seed: 9 })).toEqual(r); // greedy: the seed plays no part
    const sampled = { ...o, temperature: 1, topK: 50, seed: 3 };
    const a = maskPredict(bert.model, bert.tokenizer, 'The jury said', sampled);
    expect(maskPredict(bert.model, bert.tokenizer, 'The jury said', sampled)).toEqual(a);
    expect(
      [4, 5, 6].some(
        (seed) =>
          maskPredict(bert.model, bert.tokenizer, 'The jury said', { ...sampled, seed }).output_ids.join() !==
          a.output_ids.join(),
      ),
    ).toBe(true);
    expect(maskPredict(bert.model, bert.tokenizer, 'The jury said', { ...o, iterations: 1 }).steps).toHaveLength(1);
    expect(() => maskPredict(bert.model, bert.tokenizer, 'x', { ...o, newTokens: 40 })).toThrow(
      'need 43 positions, the model has 32',
    );
    expect(() => maskPredict(gpt.model, gpt.tokenizer, 'x', o)).toThrow('mask-predict needs a masked LM');
  });

  it('generate: the KV cache gives the uncached tokens, greedy and sampled, also once the window slides', () => {
    const o = { maxNewTokens: 40, temperature: 0, topK: 0, seed: 5, stopAtEos: false };
    for (const [prompt, extra] of [
      ['The jury said', {}],
      ['', { temperature: 0.9, topK: 20 }],
      ['the '.repeat(20), {}],
    ] as const) {
      const cached = generate(gpt.model, gpt.tokenizer, prompt, { ...o, ...extra });
      const uncached = generate(gpt.model, gpt.tokenizer, prompt, { ...o, ...extra, kvCache: false });
      expect(cached.output_ids).toHaveLength(40);
      expect(cached).toEqual(uncached);
    }
    expect(generate(gpt.model, gpt.tokenizer, 'the '.repeat(20), o).input_ids.length + 40).toBeGreaterThan(
      gpt.model.config.model_type === 'gpt2' ? gpt.model.config.n_positions : 0,
    );
  });

  it('generate: the window slides past n_positions; an empty prompt starts from end-of-text', () => {
    const long = generate(gpt.model, gpt.tokenizer, 'the '.repeat(40), {
      maxNewTokens: 5,
      temperature: 0,
      topK: 0,
      seed: 0,
      stopAtEos: false,
    });
    expect(long.input_ids.length).toBeGreaterThan(
      gpt.model.config.model_type === 'gpt2' ? gpt.model.config.n_positions : 0,
    );
    expect(long.output_ids).toHaveLength(5);
    const empty = generate(gpt.model, gpt.tokenizer, '', { maxNewTokens: 3, temperature: 0.8, topK: 5, seed: 1 });
    expect(empty.input_ids).toEqual([]);
    expect(empty.output_ids.length).toBeLessThanOrEqual(3);
    expect(() =>
      generate(bert.model, bert.tokenizer, 'x', { maxNewTokens: 1, temperature: 0, topK: 0, seed: 0 }),
    ).toThrow('generate needs a GPT-2 (clm) model');
  });
});
