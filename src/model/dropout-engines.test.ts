// Training mode on both engines: with hidden and attention-probability dropout active, one seed gives one set of
// masks (drawn in TypeScript), so the reference and wasm models agree on the loss and every gradient to 1e-4. Also:
// attention dropout only with an rng and p > 0. The wasm half is skipped when its kernels are not built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { Rng } from '../rng/rng.js';
import { BertModel } from './bert.js';
import { bertConfig, gpt2Config } from './config.js';
import { relErr } from './goldens.case.js';
import { Gpt2Model } from './gpt2.js';
import type { Model, ModelBatch } from './model.js';

const [B, T] = [3, 8];
const models: [string, (e: Engine, pAttn: number, p: number) => Model][] = [
  [
    'BertForPreTraining',
    (e, pAttn, p) =>
      new BertModel(
        bertConfig({
          architectures: ['BertForPreTraining'],
          vocab_size: 40,
          hidden_size: 16,
          num_hidden_layers: 2,
          num_attention_heads: 2,
          intermediate_size: 32,
          max_position_embeddings: 16,
          hidden_dropout_prob: p,
          attention_probs_dropout_prob: pAttn,
          initializer_range: 0.2,
        }),
        e,
        { seed: 1 },
      ),
  ],
  [
    'GPT2LMHeadModel',
    (e, pAttn, p) =>
      new Gpt2Model(
        gpt2Config({
          vocab_size: 40,
          n_positions: 16,
          n_embd: 16,
          n_layer: 2,
          n_head: 2,
          resid_pdrop: p,
          embd_pdrop: p,
          attn_pdrop: pAttn,
          initializer_range: 0.2,
        }),
        e,
        { seed: 1 },
      ),
  ],
];

function batch(): ModelBatch {
  const rng = Rng.of(2, 0, 0, 'batch');
  const input_ids = Int32Array.from({ length: B * T }, () => 1 + rng.int(39));
  const attention_mask = Uint8Array.from({ length: B * T }, (_, i) => (i >= 2 * T - 2 && i < 2 * T ? 0 : 1)); // row 1 padded
  const labels = Int32Array.from(input_ids, (id, i) => (i % 3 === 1 && attention_mask[i] ? id : -100));
  return { batchSize: B, length: T, input_ids, attention_mask, labels, next_sentence_label: Int32Array.of(0, 1, 1) };
}

const dropout = () => ({ rng: Rng.of(9, 0, 0, 'dropout') });

describe.each(models)('%s: attention-probability dropout', (_, make) => {
  it('acts only with an rng and p > 0: eval is unchanged, p = 0 draws nothing, else one [B, H, T, T] mask per layer', () => {
    const e = createReferenceEngine();
    const b = batch();
    const plain = make(e, 0, 0);
    const dropped = make(e, 0.3, 0);
    expect(dropped.forward(b).loss).toBe(plain.forward(b).loss);
    const { rng } = dropout();
    expect(plain.forward(b, { rng }).loss).toBe(plain.forward(b).loss);
    expect(rng.getState()).toEqual(dropout().rng.getState());
    const a = dropped.forward(b, { rng }).loss;
    expect(a).not.toBe(plain.forward(b).loss);
    const skipped = dropout().rng;
    for (let i = 0; i < 2 * B * 2 * T * T; i++) skipped.float(); // 2 layers x [B, H = 2, T, T]
    expect(rng.getState()).toEqual(skipped.getState());
    expect(dropped.forward(b, dropout()).loss).toBe(a);
  });

  const built = ['../engine/wasm/index.ts', '../../dist/src/engine/wasm/engine.simd.wasm'].every((p) =>
    existsSync(fileURLToPath(new URL(p, import.meta.url))),
  );
  it.skipIf(!built)(
    'reference and wasm (1 and 2 threads) agree to 1e-4 on the loss and every gradient with dropout active',
    async () => {
      const wasm = '../engine/wasm/index.js';
      const { createWasmEngine } = (await import(/* @vite-ignore */ wasm)) as typeof import('../engine/wasm/index.js');
      const b = batch();
      const ref = make(createReferenceEngine(), 0.2, 0.1);
      ref.zeroGrad();
      const want = ref.forward(b, dropout()).loss as number;
      ref.backward();
      for (const options of [{ threads: 1 }, { threads: 2, splitAll: true }]) {
        const e = await createWasmEngine(options);
        const model = make(e, 0.2, 0.1);
        model.zeroGrad();
        const got = model.forward(b, dropout()).loss as number;
        expect(Math.abs(got - want) / want).toBeLessThan(1e-4);
        model.backward();
        // Key biases get an analytically zero gradient (softmax ignores a per-query shift): rounding noise on both sides.
        const top = Math.max(...ref.parameters().map((p) => p.grad.reduce((m, g) => Math.max(m, Math.abs(g)), 0)));
        const bad = model.parameters().filter((p, i) => {
          const want = ref.parameters()[i].grad;
          if (p.name.endsWith('key.bias'))
            return ![p.grad, want].every((g) => g.every((x) => Math.abs(x) < 1e-7 * top));
          return !(relErr(p.grad, want) < 1e-4);
        });
        expect(bad.map((p) => p.name)).toEqual([]);
        e.dispose();
      }
    },
  );
});
