import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { simcseConfig, SimcseModel } from '../model/index.js';
import { embedSentences, pairFigures } from './sentence-pairs.js';

const model = () =>
  new SimcseModel(
    simcseConfig(
      {
        vocab_size: 40,
        hidden_size: 16,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 16,
        initializer_range: 0.2,
      },
      { pooler: 'avg', eval_pooler: 'avg' },
    ),
    createReferenceEngine(),
    { seed: 1 },
  );
const row = (...ids: number[]) => Int32Array.from(ids);

describe('sentence-pair figures', () => {
  it('embedding a row alone or padded in a batch gives the same vector', () => {
    const m = model();
    const alone = embedSentences(m, [row(2, 7, 8, 3)], 0);
    const batched = embedSentences(m, [row(2, 9, 9, 9, 9, 10, 3), row(2, 7, 8, 3)], 0);
    for (let c = 0; c < 16; c++) expect(batched[16 + c]).toBeCloseTo(alone[c], 5);
  });

  it('identical pairs: alignment 0, retrieval 1; uniformity is negative', () => {
    const rows = [row(2, 5, 6, 3), row(2, 11, 12, 13, 3), row(2, 20, 3), row(2, 30, 31, 30, 31, 3)];
    const f = pairFigures(
      model(),
      rows.map((x) => ({ x, y: x })),
      0,
    );
    expect(f.alignment).toBeCloseTo(0, 10);
    expect(f.retrieval).toBe(1);
    expect(f.uniformity).toBeLessThan(0);
    expect(f.pairs).toBe(4);
    const shuffled = pairFigures(
      model(),
      rows.map((x, i) => ({ x, y: rows[(i + 1) % 4] })),
      0,
    );
    expect(shuffled.alignment).toBeGreaterThan(0);
  });
});
