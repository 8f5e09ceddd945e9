// The PyTorch golden suite for ELECTRA and SimCSE (fixtures from tools/make-goldens-electra-simcse.py), run by every
// engine: losses, logits, sampled ids, discriminator labels, sentence vectors and EVERY parameter gradient to 1e-4
// relative (max |diff| / max |ref| per tensor), as goldens.case.ts does for BERT and GPT-2.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { loadModel, loadStateDict } from './checkpoint.js';
import { parseModelConfig, type ElectraConfig } from './config.js';
import { gumbelArgmax } from './electra-heads.js';
import { ElectraPretraining } from './electra-pretraining.js';
import { compareParams, relErr, TOLERANCE, type Golden, type GoldenReport } from './goldens.case.js';
import type { Model, ModelBatch, Parameter } from './model.js';
import { readSafetensors, type StoredTensor } from './safetensors.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/goldens');
const read = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));

function load(name: string): Golden & { meta: Golden['meta'] & Record<string, unknown> } {
  return {
    meta: JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')),
    weights: read(`${name}.weights.safetensors`),
    tensors: readSafetensors(read(`${name}.goldens.safetensors`)).tensors,
  };
}

// Every `batch.<field>` tensor as that ModelBatch field; B and T from input_ids.
function batchOf(g: Golden): ModelBatch {
  const ids = g.tensors.get('batch.input_ids') as StoredTensor;
  const batch: Record<string, unknown> = { batchSize: ids.shape[0], length: ids.shape[1] };
  for (const [k, t] of g.tensors) if (k.startsWith('batch.')) batch[k.slice(6)] = t.data;
  return batch as unknown as ModelBatch;
}

const tensor = (g: Golden, name: string) => (g.tensors.get(name) as StoredTensor).data;
const lossErr = (got: number | undefined, want: number) => Math.abs((got as number) - want) / Math.abs(want);

// logits [rows, V] at flat positions `rows` against the dense golden [B, T, V].
function pickRows(want: StoredTensor, rows: Int32Array): Float32Array {
  const V = want.shape[2];
  const ref = want.data as Float32Array;
  return Float32Array.from({ length: rows.length * V }, (_, i) => ref[rows[Math.floor(i / V)] * V + (i % V)]);
}

export function electraSimcseGoldenSuite(label: string, makeEngine: () => Engine, report: GoldenReport = {}): void {
  describe(`ELECTRA and SimCSE goldens vs PyTorch (${label} engine)`, () => {
    for (const name of ['electra-discriminator', 'electra-generator']) {
      it(`${name}: loss, logits and every parameter gradient`, () => {
        const g = load(name);
        const model = loadModel(g.meta.config, g.weights, makeEngine(), { strict: true });
        expect(
          model
            .parameters()
            .map((p) => p.name)
            .sort(),
        ).toEqual([...g.meta.names].sort());
        const out = model.forward(batchOf(g), { logits: true });
        report[`${name} loss`] = lossErr(out.loss, g.meta.loss);
        expect(report[`${name} loss`]).toBeLessThan(1e-5);
        report[`${name} logits`] = relErr(
          out.logits as Float32Array,
          pickRows(g.tensors.get('logits') as StoredTensor, out.logitRows as Int32Array),
        );
        expect(report[`${name} logits`]).toBeLessThan(TOLERANCE);
        model.zeroGrad();
        model.backward();
        report[`${name} grads`] = compareParams(model, g, 'grad', (p) => p.grad);
      });
    }

    it('electra-pretraining: Gumbel samples, corrupted labels, both losses and every gradient of generator + discriminator', () => {
      const g = load('electra-pretraining');
      const m = g.meta as unknown as {
        config: ElectraConfig;
        generator_config: ElectraConfig;
        loss: number;
        gen_loss: number;
        disc_loss: number;
        names: string[];
      };
      const pair = new ElectraPretraining(
        parseModelConfig(m.config) as ElectraConfig,
        parseModelConfig(m.generator_config) as ElectraConfig,
        makeEngine(),
        { seed: 9, duplicates: 'average' },
      );
      loadStateDict(pair.discriminator, readSafetensors(g.weights).tensors, { strict: true });
      loadStateDict(
        pair.generator,
        readSafetensors(read('electra-pretraining.generator.weights.safetensors')).tensors,
        { strict: true },
      );
      expect(
        pair
          .parameters()
          .map((p) => p.name)
          .sort(),
      ).toEqual([...m.names].sort());
      const batch = batchOf(g);
      const out = pair.forwardWithNoise(batch, tensor(g, 'noise') as Float32Array);
      expect(Array.from(pair.samples())).toEqual(Array.from(tensor(g, 'sampled')));
      const real = batch.attention_mask as Uint8Array;
      const at = <T extends ArrayLike<number>>(x: T) => Array.from(x).filter((_, n) => real[n] === 1);
      expect(Array.from(out.rtd?.labels ?? [])).toEqual(at(tensor(g, 'replaced')));
      expect(out.lmCorrect).toBe(tensor(g, 'gen_correct')[0]);
      report['electra pair gen loss'] = lossErr(out.lmLoss, m.gen_loss);
      report['electra pair disc loss'] = lossErr(out.rtd?.loss, m.disc_loss);
      report['electra pair loss'] = lossErr(out.loss, m.loss);
      for (const k of ['gen loss', 'disc loss', 'loss']) expect(report[`electra pair ${k}`]).toBeLessThan(1e-5);
      report['electra pair disc logits'] = relErr(
        out.rtd?.logits as Float32Array,
        Float32Array.from(at(tensor(g, 'disc_logits'))),
      );
      expect(report['electra pair disc logits']).toBeLessThan(TOLERANCE);
      pair.zeroGrad();
      pair.backward();
      report['electra pair grads'] = compareParams(pair, g, 'grad', (p) => p.grad);
    });

    it('Gumbel-max with a fixed noise tensor picks PyTorch’s ids (64 rows x 97, temperatures 1 and 2)', () => {
      const g = load('electra-pretraining');
      const out = new Int32Array(64);
      for (const t of [1, 2]) {
        gumbelArgmax(tensor(g, 'gumbel.logits') as Float32Array, tensor(g, 'gumbel.noise'), 64, 97, t, out);
        expect(Array.from(out)).toEqual(Array.from(tensor(g, `gumbel.samples_t${t}`)));
      }
    });

    for (const name of ['simcse-unsup', 'simcse-sup']) {
      it(`${name}: InfoNCE loss, sentence vectors and every parameter gradient`, () => {
        const g = load(name);
        const model = loadModel(g.meta.config, g.weights, makeEngine(), { strict: true });
        expect(
          model
            .parameters()
            .map((p) => p.name)
            .sort(),
        ).toEqual([...g.meta.names].sort());
        const out = model.forward(batchOf(g));
        report[`${name} loss`] = lossErr(out.loss, g.meta.loss);
        expect(report[`${name} loss`]).toBeLessThan(1e-5);
        report[`${name} pooled`] = relErr(out.pooled as Float32Array, tensor(g, 'pooled'));
        expect(report[`${name} pooled`]).toBeLessThan(TOLERANCE);
        model.zeroGrad();
        model.backward();
        // Key biases: their gradient is analytically zero (softmax ignores a per-query shift); under tau = 0.05 the
        // float32 sum that gives it cancels terms far larger than the largest gradient, so it is held to being
        // negligible against that gradient rather than to PyTorch's float64 zero.
        const isKeyBias = (p: Parameter) => p.name.endsWith('attention.self.key.bias');
        const largest = Math.max(
          ...model.parameters().map((p) => p.grad.reduce((m, x) => Math.max(m, Math.abs(x)), 0)),
        );
        for (const p of model.parameters().filter(isKeyBias))
          for (const x of p.grad) expect(Math.abs(x)).toBeLessThan(1e-5 * largest);
        const rest = model.parameters().filter((p) => !isKeyBias(p));
        report[`${name} grads`] = compareParams(
          { parameters: () => rest } as unknown as Model,
          g,
          'grad',
          (p) => p.grad,
        );
      });
    }
  });
}
