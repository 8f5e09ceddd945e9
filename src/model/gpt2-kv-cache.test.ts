// The KV cache against the model's full forward: prefill + steps give every position's logits within 1e-5, on the
// reference engine and on wasm (1 thread) when built.
import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import type { Engine } from '../engine/engine.js';
import { wasmBuilt } from '../train/fixtures.case.js';
import { gpt2Config } from './config.js';
import { Gpt2Model } from './gpt2.js';

const config = gpt2Config({
  vocab_size: 50,
  n_positions: 16,
  n_embd: 32,
  n_layer: 2,
  n_head: 4,
  initializer_range: 0.3,
  resid_pdrop: 0.1,
  embd_pdrop: 0.1,
  attn_pdrop: 0.1,
});
const ids = Int32Array.from([5, 17, 3, 3, 42, 8, 0, 19, 23, 7, 11, 49, 2, 30]);

async function engines(): Promise<[string, Engine][]> {
  const out: [string, Engine][] = [['reference', createReferenceEngine()]];
  if (wasmBuilt) {
    const { createWasmEngine } = await import('../engine/wasm/index.js');
    out.push(['wasm', await createWasmEngine({ threads: 1, maxMemoryMB: 256 })]);
  }
  return out;
}

describe('GPT-2 KV cache', () => {
  it('prefill + step logits equal the full forward at every position (1e-5); steps from empty too', async () => {
    for (const [name, engine] of await engines()) {
      const model = new Gpt2Model(config, engine, { seed: 4 });
      const V = config.vocab_size;
      const full = (
        model.forward({ batchSize: 1, length: ids.length, input_ids: ids }, { logits: true }).logits as Float32Array
      ).slice(); // [T, V]
      const spread = Math.max(...full) - Math.min(...full);
      expect(spread, name).toBeGreaterThan(1); // the logits are not all alike: the comparison means something
      const check = (logits: Float32Array, t: number) => {
        let worst = 0;
        for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(logits[v] - full[t * V + v]));
        expect(worst, `${name} position ${t}`).toBeLessThan(1e-5);
      };
      for (const split of [1, 5]) {
        const cache = model.kvCache();
        check(cache.prefill(ids.subarray(0, split)), split - 1);
        for (let t = split; t < ids.length; t++) check(cache.step(ids[t]), t);
        expect(cache.length).toBe(ids.length);
      }
      const fromEmpty = model.kvCache();
      for (let t = 0; t < ids.length; t++) check(fromEmpty.step(ids[t]), t);
      // a prefill resets the cache
      const again = model.kvCache();
      again.prefill(ids.subarray(0, 9));
      check(again.prefill(ids.subarray(0, 3)), 2);
      check(again.step(ids[3]), 3);
      engine.dispose();
    }
  });

  it('a full cache and bad ids are one-line errors', () => {
    const model = new Gpt2Model(config, createReferenceEngine(), { seed: 4 });
    const cache = model.kvCache();
    cache.prefill(new Int32Array(16).fill(1));
    expect(() => cache.step(1)).toThrow('kv cache: full at 16 positions');
    expect(() => model.kvCache().step(50)).toThrow('kv cache: token id 50 outside [0, 50)');
    expect(() => model.kvCache().prefill(new Int32Array(17))).toThrow('kv cache: prefill of 17 tokens (1..16)');
  });
});
