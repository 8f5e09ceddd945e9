// Greedy decoding with the key / value cache against the full model: each generated id is the argmax of a full
// forward over the decoder prefix so far (reference and wasm engines, relu and gated, tied and untied, padding).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { createWasmEngine } from '../engine/wasm/index.js';
import { t5Config, type T5Config } from './config.js';
import { T5Model } from './t5.js';
import { T5Generator } from './t5-generate.js';

const tiny = (over: Partial<T5Config>) =>
  t5Config({
    vocab_size: 40,
    d_model: 16,
    d_kv: 4,
    d_ff: 24,
    num_layers: 2,
    num_decoder_layers: 2,
    num_heads: 3,
    relative_attention_num_buckets: 8,
    relative_attention_max_distance: 12,
    dropout_rate: 0,
    eos_token_id: 39,
    ...over,
  });

const encoder = {
  batchSize: 2,
  length: 6,
  input_ids: Int32Array.of(5, 9, 3, 17, 22, 1, 8, 8, 30, 2, 0, 0),
  attention_mask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
};

function check(engine: Engine, over: Partial<T5Config>): void {
  const model = new T5Model(tiny(over), engine, { seed: 7 });
  const gen = new T5Generator(model);
  const steps = 9;
  const out = gen.greedy(encoder, { maxNewTokens: steps, eosId: -1 });
  expect(out.map((r) => r.length)).toEqual([steps, steps]);
  for (let b = 0; b < 2; b++) {
    const row = {
      batchSize: 1,
      length: 6,
      input_ids: encoder.input_ids.subarray(b * 6, b * 6 + 6),
      attention_mask: encoder.attention_mask.subarray(b * 6, b * 6 + 6),
    };
    for (let t = 0; t < steps; t++) {
      const decoder = Int32Array.from([0, ...out[b].subarray(0, t)]);
      const { logits } = model.forward({ ...row, decoderLength: t + 1, decoder_input_ids: decoder }, { logits: true });
      const last = (logits as Float32Array).subarray(t * 40, (t + 1) * 40);
      expect(out[b][t], `row ${b} step ${t}`).toBe(last.indexOf(Math.max(...last)));
    }
  }
  expect(gen.greedy(encoder, { maxNewTokens: steps, eosId: -1 })).toEqual(out); // buffers reused, same answer
  const eos = out[0][2];
  const stopped = gen.greedy(encoder, { maxNewTokens: steps, eosId: eos });
  expect(stopped[0][stopped[0].length - 1]).toBe(eos);
  expect(stopped[0].length).toBeLessThanOrEqual(3);
}

describe('T5 greedy decoding with a key / value cache', () => {
  it.each([
    ['relu, tied', { feed_forward_proj: 'relu', tie_word_embeddings: true }],
    ['gated-gelu, untied', { feed_forward_proj: 'gated-gelu', tie_word_embeddings: false }],
  ] as const)('equals the argmax of the full forward at every step (reference, %s)', (_, over) => {
    check(createReferenceEngine(), over);
  });

  const built = existsSync(fileURLToPath(new URL('../../dist/src/engine/wasm/engine.simd.wasm', import.meta.url)));
  let wasm: Engine;
  beforeAll(async () => {
    if (built) wasm = await createWasmEngine({ threads: 2 });
  });
  afterAll(() => wasm?.dispose());
  it.skipIf(!built)('equals the argmax of the full forward at every step (wasm, gated-gelu, untied)', () => {
    check(wasm, { feed_forward_proj: 'gated-gelu', tie_word_embeddings: false });
  });
});
