// ELECTRA: whole-model finite differences in f64 (generator + discriminator with shared embeddings and
// embeddings_project, dropout on), sampling and corruption rules, HF names and the two-part checkpoint.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { Rng } from '../rng/rng.js';
import { loadParts, saveModel } from './checkpoint.js';
import { electraConfig, electraGeneratorConfig, parseModelConfig } from './config.js';
import { ElectraModel } from './electra.js';
import { bceWithLogits, gumbelArgmax } from './electra-heads.js';
import { electraFamily } from './electra-family.js';
import { corrupt, ElectraPretraining } from './electra-pretraining.js';
import type { ModelBatch } from './model.js';
import { readSafetensors } from './safetensors.js';

function f64Engine(): Engine {
  const e = createReferenceEngine();
  return { ...e, alloc: (n: number) => new Float64Array(n) as unknown as Float32Array };
}

const disc = (over = {}) =>
  electraConfig({
    vocab_size: 40,
    embedding_size: 12,
    hidden_size: 16,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 24,
    max_position_embeddings: 16,
    ...over,
  });

const [B, T] = [2, 6];

function batch(): ModelBatch {
  const rng = Rng.of(5, 0, 0, 'batch');
  const orig = Int32Array.from({ length: B * T }, () => 5 + rng.int(35));
  const input_ids = orig.slice();
  const labels = new Int32Array(B * T).fill(-100);
  const masked_positions = Int32Array.of(1, 3, 3, 2, 4, -1); // row 0 draws position 3 twice; row 1 two draws
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < 3; k++) {
      const t = masked_positions[b * 3 + k];
      if (t < 0) continue;
      labels[b * T + t] = orig[b * T + t];
      input_ids[b * T + t] = 4; // [MASK]
    }
  }
  const attention_mask = Uint8Array.from({ length: B * T }, (_, i) => (i >= T + 5 ? 0 : 1));
  return { batchSize: B, length: T, input_ids, labels, masked_positions, attention_mask };
}

describe('ElectraPretraining', () => {
  it('every parameter gradient matches finite differences (f64, dropout on, fixed noise)', () => {
    const d = disc({ hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1 });
    const model = new ElectraPretraining(d, electraGeneratorConfig(d, 0.5), f64Engine(), { seed: 3 });
    const b = batch();
    const noise = Float32Array.from({ length: 5 * 40 }, (_, i) => ((i * 7919) % 997) / 997);
    const state = Rng.of(3, 0, 0, 'dropout').getState();
    const J = () => model.forwardWithNoise(b, noise, { rng: Rng.fromState(state) }).loss as number;
    model.zeroGrad();
    J();
    model.backward();
    const pick = Rng.of(9, 0, 0, 'pick');
    const h = 1e-6;
    for (const p of model.parameters()) {
      for (let k = 0; k < 3; k++) {
        const i = pick.int(p.data.length);
        if (p.name.endsWith('word_embeddings.weight') && Math.floor(i / 12) === 0) continue; // padding row
        const x = p.data[i];
        p.data[i] = x + h;
        const up = J();
        p.data[i] = x - h;
        const down = J();
        p.data[i] = x;
        const fd = (up - down) / (2 * h);
        expect(
          Math.abs(fd - p.grad[i]) / Math.max(1e-3, Math.abs(fd)),
          `${p.name}[${i}]: fd ${fd}, backward ${p.grad[i]}`,
        ).toBeLessThan(1e-5);
      }
    }
  });

  it('names as HF: the discriminator at the top, the generator under generator.; shared embeddings once', () => {
    const d = disc();
    const model = new ElectraPretraining(d, electraGeneratorConfig(d), createReferenceEngine());
    const names = model.parameters().map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('electra.embeddings.word_embeddings.weight');
    expect(names).toContain('electra.embeddings_project.weight');
    expect(names).toContain('discriminator_predictions.dense_prediction.weight');
    expect(names).toContain('generator.generator_lm_head.bias');
    expect(names).toContain('generator.electra.embeddings_project.weight');
    expect(names.filter((n) => n.includes('embeddings.word_embeddings'))).toEqual([
      'electra.embeddings.word_embeddings.weight',
    ]);
    expect(
      model.generator.parameters().find((p) => p.name === 'electra.embeddings.word_embeddings.weight')?.data.buffer,
    ).toBe(model.discriminator.parameters()[0].data.buffer);
    expect(model.generatorConfig.hidden_size).toBe(4);
  });

  it('saves two HF checkpoints (discriminator + generator/) that load back into the pair', () => {
    const d = disc();
    const a = new ElectraPretraining(d, electraGeneratorConfig(d, 0.5), createReferenceEngine(), { seed: 1 });
    const { files } = saveModel(a);
    expect(Object.keys(files).sort()).toEqual([
      'config.json',
      'generator/config.json',
      'generator/model.safetensors',
      'model.safetensors',
    ]);
    expect(JSON.parse(files['config.json'] as string).architectures).toEqual(['ElectraForPreTraining']);
    const gen = parseModelConfig(files['generator/config.json'] as string);
    expect(gen.architectures).toEqual(['ElectraForMaskedLM']);
    const genNames = [...readSafetensors(files['generator/model.safetensors'] as Uint8Array).tensors.keys()];
    expect(genNames).toContain('electra.embeddings.word_embeddings.weight');
    expect(genNames).toContain('generator_predictions.dense.weight');
    expect(genNames.some((n) => n.startsWith('generator.'))).toBe(false);
    const b = new ElectraPretraining(d, electraGeneratorConfig(d, 0.5), createReferenceEngine(), { seed: 2 });
    loadParts(b, (path) =>
      typeof files[path] === 'string' ? new TextEncoder().encode(files[path] as string) : (files[path] as Uint8Array),
    );
    expect(b.forward(batch()).loss).toBeCloseTo(a.forward(batch()).loss as number, 6);
  });

  it('--grad-accum: micro-batches weighted by the family lossCounts give the whole batch loss and gradients', () => {
    const d = disc();
    const model = new ElectraPretraining(d, electraGeneratorConfig(d, 0.5), f64Engine(), { seed: 3 });
    const V = d.vocab_size;
    const whole = batch();
    const noise = Float32Array.from({ length: 5 * V }, (_, i) => ((i * 7919) % 997) / 997);
    const gradients = () => model.parameters().map((p) => Float64Array.from(p.grad));
    model.zeroGrad();
    const loss = model.forwardWithNoise(whole, noise).loss as number;
    model.backward();
    const want = gradients();
    // row 0 draws 3 times (noise rows 0-2), row 1 twice and holds the one padded position
    const row = (b: number): ModelBatch => ({
      batchSize: 1,
      length: T,
      input_ids: whole.input_ids.slice(b * T, (b + 1) * T),
      labels: (whole.labels as Int32Array).slice(b * T, (b + 1) * T),
      masked_positions: (whole.masked_positions as Int32Array).slice(b * 3, (b + 1) * 3),
      attention_mask: (whole.attention_mask as Uint8Array).slice(b * T, (b + 1) * T),
    });
    const parts = [row(0), row(1)];
    const counts = parts.map((p) => electraFamily.lossCounts?.(p) as Record<string, number>);
    expect(counts).toEqual([
      { mlm: 3, rtd: 6 },
      { mlm: 2, rtd: 5 },
    ]);
    const share = (i: number, term: string, w: number) => (w * counts[i][term]) / (counts[0][term] + counts[1][term]);
    model.zeroGrad();
    let sum = 0;
    parts.forEach((p, i) => {
      const slice = i === 0 ? noise.subarray(0, 3 * V) : noise.subarray(3 * V);
      const out = model.forwardWithNoise(p, slice, {
        lossWeights: { mlm: share(i, 'mlm', 1), rtd: share(i, 'rtd', 50) },
      });
      sum += out.loss as number;
      model.backward();
    });
    expect(Math.abs(sum - loss) / loss).toBeLessThan(1e-12);
    gradients().forEach((g, k) => {
      for (let i = 0; i < g.length; i++)
        expect(Math.abs(g[i] - want[k][i])).toBeLessThan(1e-12 + 1e-9 * Math.abs(want[k][i]));
    });
  });

  it('evaluation samples from a fixed stream: the same batch, the same loss', () => {
    const d = disc();
    const model = new ElectraPretraining(d, electraGeneratorConfig(d), createReferenceEngine(), { seed: 1 });
    const one = model.forward(batch());
    expect(model.forward(batch()).loss).toBe(one.loss);
    expect(one.count).toBe(5);
    expect(one.rtd?.logits.length).toBe(B * T - 1);
  });
});

describe('ELECTRA sampling and labels', () => {
  it.each([
    ['Gumbel-max', 1],
    ['Gumbel-max', 2],
    ['inverse CDF', 1],
    ['inverse CDF', 2],
  ])('%s samples follow softmax(logits / temperature %d) (5 sigma over 40k draws)', (how, temperature) => {
    const V = 4;
    const logits = Float32Array.of(0, 1, 2, Math.log(0.5));
    const rng = Rng.of(1, 0, 0, 'gumbel');
    const n = 40000;
    const counts = [0, 0, 0, 0];
    const out = new Int32Array(1);
    const u = new Float32Array(V);
    for (let i = 0; i < n; i++) {
      for (let v = 0; v < V; v++) u[v] = rng.float();
      if (how === 'Gumbel-max') gumbelArgmax(logits, u, 1, V, temperature, out);
      else createReferenceEngine().softmaxSample(out, logits, u, 1, V, temperature);
      counts[out[0]]++;
    }
    const w = Array.from(logits, (l) => Math.exp(l / temperature));
    const z = w.reduce((a, b) => a + b, 0);
    w.forEach((x, v) => {
      const p = x / z;
      expect(Math.abs(counts[v] / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    });
  });

  it('corrupt: the last sample, or the floor of the mean, at a twice-drawn position; label 1 only where the id changed', () => {
    const input = Int32Array.of(2, 4, 4, 7, 3);
    const labels = Int32Array.of(-100, 10, 11, -100, -100);
    const avg = corrupt(input, labels, Int32Array.of(1, 2, 2), Int32Array.of(10, 20, 25), 5, 'average');
    expect(Array.from(avg.corrupted)).toEqual([2, 10, 22, 7, 3]); // position 1 sampled its original
    expect(Array.from(avg.replaced)).toEqual([0, 0, 1, 0, 0]);
    const last = corrupt(input, labels, Int32Array.of(1, 2, 2), Int32Array.of(10, 20, 11), 5, 'last');
    expect(Array.from(last.corrupted)).toEqual([2, 10, 11, 7, 3]);
    expect(Array.from(last.replaced)).toEqual([0, 0, 0, 0, 0]);
  });

  it('BCE: mean over real tokens only, gradient weight (sigmoid - y) / count', () => {
    const d = new Float32Array(3);
    const { loss, count } = bceWithLogits(Float32Array.of(0, 2, 9), [1, 0, 1], [1, 1, 0], 3, 50, d);
    expect(count).toBe(2);
    expect(loss).toBeCloseTo((Math.log(2) + Math.log(1 + Math.exp(2))) / 2, 10);
    expect(d[0]).toBeCloseTo((50 * (0.5 - 1)) / 2, 6);
    expect(d[2]).toBe(0);
  });

  it('a standalone discriminator takes 0/1 labels; a generator predicts labelled positions', () => {
    const e = createReferenceEngine();
    const D = new ElectraModel(disc(), e, { seed: 1 });
    const b = batch();
    const out = D.forward({
      ...b,
      labels: Int32Array.from(b.labels as Int32Array, (x) => (x >= 0 ? 1 : 0)),
      masked_positions: undefined,
    });
    expect(out.rtd?.labels.reduce((s, x) => s + x, 0)).toBe(4);
    const G = new ElectraModel(electraGeneratorConfig(disc()), e, { seed: 1 });
    expect(G.forward({ ...b, masked_positions: undefined }).count).toBe(4);
    expect(G.forward(b).count).toBe(5);
  });
});
