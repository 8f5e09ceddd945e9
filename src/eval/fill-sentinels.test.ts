import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { t5Config, T5Generator, T5Model } from '../model/index.js';
import { fillSentinels } from './fill-sentinels.js';

describe('fillSentinels', () => {
  const model = new T5Model(
    t5Config({
      vocab_size: 30,
      d_model: 16,
      d_kv: 4,
      d_ff: 32,
      num_layers: 1,
      num_heads: 2,
      dropout_rate: 0,
      eos_token_id: 1,
    }),
    createReferenceEngine(),
    { seed: 2 },
  );
  const isSentinel = (id: number) => id >= 27;
  const input = Int32Array.of(5, 29, 7, 28, 9, 1);

  it('returns the greedy output and the ids written after each sentinel of the input', () => {
    const fill = fillSentinels(model, input, isSentinel, 12);
    const [greedy] = new T5Generator(model).greedy({ batchSize: 1, length: 6, input_ids: input }, { maxNewTokens: 12 });
    expect(fill.output).toEqual(greedy);
    expect(fill.spans.map((s) => s.sentinel)).toEqual([29, 28]);
    // the spans are the output's non-sentinel ids before eos, each under the last sentinel written before it
    let current = -1;
    const want: Record<number, number[]> = { 29: [], 28: [] };
    for (const id of greedy) {
      if (id === 1) break;
      if (isSentinel(id)) current = id;
      else if (current in want) want[current].push(id);
    }
    expect(Object.fromEntries(fill.spans.map((s) => [s.sentinel, s.ids]))).toEqual(want);
  });

  it('refuses a text without a sentinel', () => {
    expect(() => fillSentinels(model, Int32Array.of(5, 6, 1), isSentinel)).toThrow(/no sentinel/);
  });
});
