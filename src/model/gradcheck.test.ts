// Whole-model finite differences in f64 (the reference kernels run on Float64Array): every parameter tensor at a few
// entries, with hidden and attention-probability dropout active (same masks each pass), masks, NSP, and an extra
// gradient on the hidden states (dense last layer), or without it (BERT's sparse last layer, dropout drawn per row);
// BERT post-LN and pre-LN (RoBERTa-PreLayerNorm: the hidden states after its final LayerNorm).
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { Rng } from '../rng/rng.js';
import { bertConfig, gpt2Config, robertaPreLayerNormConfig } from './config.js';
import { BertModel } from './bert.js';
import { Gpt2Model } from './gpt2.js';
import type { Model, ModelBatch } from './model.js';

function f64Engine(): Engine {
  const e = createReferenceEngine();
  return { ...e, alloc: (n: number) => new Float64Array(n) as unknown as Float32Array };
}

const [B, T] = [2, 5];

// J = loss + sum(hidden * W): checks backward({ dHidden: W }) too; W null: J = loss.
function objective(
  model: Model,
  batch: ModelBatch,
  W: Float32Array | null,
  rngState: [number, number, number, number],
): number {
  const out = model.forward(batch, { rng: Rng.fromState(rngState), hidden: W !== null });
  let j = out.loss as number;
  if (W) for (let i = 0; i < W.length; i++) j += (out.hidden as Float32Array)[i] * W[i];
  return j;
}

function check(model: Model, batch: ModelBatch, skip: (name: string, i: number) => boolean, withHidden = true): number {
  const C = model.parameters()[0].shape[1];
  const pick = Rng.of(7, 0, 0, 'gradcheck');
  const W = withHidden ? (new Float64Array(B * T * C).map(() => pick.normal() * 0.1) as unknown as Float32Array) : null;
  const state = Rng.of(3, 0, 0, 'dropout').getState();
  model.zeroGrad();
  objective(model, batch, W, state);
  model.backward(W ? { dHidden: W } : {});
  let worst = 0;
  const h = 1e-6;
  for (const p of model.parameters()) {
    if (skip(p.name, -1)) {
      expect(
        p.grad.every((g) => g === 0),
        `${p.name} is not read: no gradient`,
      ).toBe(true);
      continue;
    }
    for (let k = 0; k < 3; k++) {
      let i = pick.int(p.data.length);
      while (skip(p.name, i)) i = pick.int(p.data.length);
      const x = p.data[i];
      p.data[i] = x + h;
      const up = objective(model, batch, W, state);
      p.data[i] = x - h;
      const down = objective(model, batch, W, state);
      p.data[i] = x;
      const fd = (up - down) / (2 * h);
      const err = Math.abs(fd - p.grad[i]) / Math.max(1e-3, Math.abs(fd));
      expect(err, `${p.name}[${i}]: fd ${fd}, backward ${p.grad[i]}`).toBeLessThan(1e-5);
      worst = Math.max(worst, err);
    }
  }
  return worst;
}

// Entries no batch of length T reads, skipped: the word embeddings' padding row (nn.Embedding padding_idx), and with
// relative_key the distance rows outside [P - T, P + T - 2] and the whole position table (i = -1 asks for a tensor:
// its gradient must then be zero).
function unread(positions: 'absolute' | 'relative_key', C: number, P: number, H: number) {
  return (name: string, i: number): boolean => {
    if (positions === 'relative_key' && name.endsWith('position_embeddings.weight')) return true;
    if (i < 0) return false;
    if (name.endsWith('word_embeddings.weight')) return i < C;
    if (positions === 'absolute') return false;
    const row = Math.floor(i / (C / H));
    return name.endsWith('distance_embedding.weight') && (row < P - T || row > P + T - 2);
  };
}

describe('whole-model gradients vs finite differences (f64)', () => {
  it.each([
    ['dHidden (dense last layer)', 'absolute', true],
    ['sparse last layer: labelled and [CLS] rows', 'absolute', false],
    ['dHidden (dense last layer)', 'relative_key', true],
    ['sparse last layer: labelled and [CLS] rows', 'relative_key', false],
  ] as const)(
    'BertForPreTraining: padding mask, MLM + NSP, hidden and attention dropout, %s, %s positions',
    (_, positions, withHidden) => {
      const config = bertConfig({
        position_embedding_type: positions,
        architectures: ['BertForPreTraining'],
        vocab_size: 13,
        hidden_size: 8,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 16,
        max_position_embeddings: 8,
        hidden_dropout_prob: 0.2,
        attention_probs_dropout_prob: 0.2,
        initializer_range: 0.5,
      });
      const model = new BertModel(config, f64Engine(), { seed: 1 });
      const batch: ModelBatch = {
        batchSize: B,
        length: T,
        input_ids: Int32Array.of(1, 5, 3, 12, 2, 1, 7, 9, 0, 0),
        attention_mask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
        token_type_ids: Int32Array.of(0, 0, 0, 1, 1, 0, 0, 1, 1, 1),
        labels: Int32Array.of(-100, 6, -100, -100, 4, -100, -100, 11, -100, -100),
        next_sentence_label: Int32Array.of(1, 0),
      };
      // The padding row of word_embeddings gets no embedding gradient by design (nn.Embedding padding_idx).
      expect(check(model, batch, unread(positions, 8, 8, 2), withHidden)).toBeLessThan(1e-5);
    },
  );

  it.each([
    ['dHidden (dense last layer)', 'absolute', true],
    ['sparse last layer and final LayerNorm: labelled rows', 'absolute', false],
    ['sparse last layer and final LayerNorm: labelled rows', 'relative_key', false],
  ] as const)(
    'RobertaPreLayerNormForMaskedLM: padding mask, MLM, hidden and attention dropout, %s, %s positions',
    (_, positions, withHidden) => {
      const config = robertaPreLayerNormConfig({
        position_embedding_type: positions,
        vocab_size: 13,
        hidden_size: 8,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 16,
        max_position_embeddings: 8 + 1,
        pad_token_id: 0,
        hidden_dropout_prob: 0.2,
        attention_probs_dropout_prob: 0.2,
        initializer_range: 0.5,
      });
      const model = new BertModel(config, f64Engine(), { seed: 4 });
      const batch: ModelBatch = {
        batchSize: B,
        length: T,
        input_ids: Int32Array.of(1, 5, 3, 12, 2, 1, 7, 9, 0, 0),
        attention_mask: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
        token_type_ids: Int32Array.of(0, 0, 0, 1, 1, 0, 0, 1, 1, 1),
        labels: Int32Array.of(6, -100, -100, -100, 4, -100, -100, 11, -100, -100),
      };
      // As above: the padding row of word_embeddings gets no gradient (position row 0 is never read: rows start at 1).
      expect(check(model, batch, unread(positions, 8, 9, 2), withHidden)).toBeLessThan(1e-5);
    },
  );

  it('GPT2LMHeadModel: packed documents (dense mask, positions restart), token types, hidden and attention dropout, dHidden', () => {
    const config = gpt2Config({
      vocab_size: 13,
      n_positions: 8,
      n_embd: 8,
      n_layer: 2,
      n_head: 2,
      n_inner: 16,
      resid_pdrop: 0.2,
      embd_pdrop: 0.1,
      attn_pdrop: 0.2,
      initializer_range: 0.5,
    });
    const model = new Gpt2Model(config, f64Engine(), { seed: 2 });
    const mask = new Uint8Array(B * T * T).fill(1);
    for (let i = 3; i < T; i++) for (let j = 0; j < 3; j++) mask[(T + i) * T + j] = 0; // row 1: documents [0, 3) [3, 5)
    const batch: ModelBatch = {
      batchSize: B,
      length: T,
      input_ids: Int32Array.of(1, 5, 3, 12, 2, 4, 7, 9, 10, 11),
      attention_mask: mask,
      position_ids: Int32Array.of(0, 1, 2, 3, 4, 0, 1, 2, 0, 1),
      token_type_ids: Int32Array.of(0, 0, 0, 1, 1, 2, 2, 2, 2, 2),
      labels: Int32Array.of(1, 5, 3, 12, -100, 4, 7, 9, -100, 11),
    };
    expect(check(model, batch, () => false)).toBeLessThan(1e-5);
  });
});
