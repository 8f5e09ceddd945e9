// pretext train for the encoder-decoder objectives (span-corruption, prefix-lm, bart-infilling) on
// T5ForConditionalGeneration: exit 0, the training loss falls, config.json names the architecture, the safetensors
// hold exactly HF's names and shapes (written out here from modeling_t5.py), validation reports the target loss and
// exact-span accuracy; then pretext predict fills the sentinels with the trained run.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/model/index.js';
import { cli, corpusDir, smallFlags, runLog, mean } from '../train-cli.case.js';

let dir: string;
let corpus: string;
beforeAll(async () => ({ dir, corpus } = await corpusDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [C, F, V, H] = [32, 64, 600, 2];
const D = C / H;

/** HF T5ForConditionalGeneration's state dict with a tied head (encoder/decoder embed_tokens and lm_head omitted, as save_pretrained does). */
function t5Tensors(layers: number): Record<string, number[]> {
  const s: Record<string, number[]> = {
    'shared.weight': [V, C],
    'encoder.final_layer_norm.weight': [C],
    'decoder.final_layer_norm.weight': [C],
  };
  const attention = (n: string) =>
    Object.fromEntries([...['q', 'k', 'v'].map((x) => [`${n}${x}.weight`, [H * D, C]]), [`${n}o.weight`, [C, H * D]]]);
  for (const stack of ['encoder', 'decoder']) {
    for (let l = 0; l < layers; l++) {
      const n = `${stack}.block.${l}.layer.`;
      const ff = stack === 'encoder' ? 1 : 2;
      Object.assign(s, attention(`${n}0.SelfAttention.`), { [`${n}0.layer_norm.weight`]: [C] });
      if (l === 0) s[`${n}0.SelfAttention.relative_attention_bias.weight`] = [32, H];
      if (stack === 'decoder')
        Object.assign(s, attention(`${n}1.EncDecAttention.`), { [`${n}1.layer_norm.weight`]: [C] });
      Object.assign(s, {
        [`${n}${ff}.layer_norm.weight`]: [C],
        [`${n}${ff}.DenseReluDense.wi.weight`]: [F, C],
        [`${n}${ff}.DenseReluDense.wo.weight`]: [C, F],
      });
    }
  }
  return s;
}

function trains(objective: string): { run: string; evals: Record<string, number>[] } {
  const run = join(dir, objective);
  const r = cli([
    'train',
    ...smallFlags(corpus, objective),
    '--preset',
    'tiny',
    '--steps',
    '40',
    '--eval-every',
    '20',
    '--lr',
    '0.003',
    '--out',
    run,
  ]);
  expect(r.stderr).toMatch(/done at step 40/);
  expect(r.status).toBe(0);
  const rows = runLog(run);
  const losses = rows.filter((x) => 'loss' in x).map((x) => x.loss);
  expect(losses).toHaveLength(40);
  expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) - 0.05);
  const ckpt = join(run, 'checkpoint-40');
  const config = JSON.parse(readFileSync(join(ckpt, 'config.json'), 'utf8'));
  expect(config).toMatchObject({
    architectures: ['T5ForConditionalGeneration'],
    model_type: 't5',
    d_model: C,
    d_kv: D,
    d_ff: F,
    num_layers: 2,
    num_decoder_layers: 2,
    num_heads: H,
    vocab_size: V,
    tie_word_embeddings: true,
  });
  const saved = readSafetensors(new Uint8Array(readFileSync(join(ckpt, 'model.safetensors')))).tensors;
  expect(Object.fromEntries([...saved].map(([k, t]) => [k, t.shape]))).toEqual(t5Tensors(2));
  const evals = rows.filter((x) => 'val_loss' in x);
  expect(evals.map((e) => e.step)).toEqual([0, 20, 40]);
  for (const e of evals)
    for (const k of ['val_span_accuracy', 'val_token_accuracy']) expect(e[k]).toBeGreaterThanOrEqual(0);
  expect(evals[2].val_loss).toBeLessThan(evals[0].val_loss);
  expect(evals[2].val_token_accuracy).toBeGreaterThan(evals[0].val_token_accuracy);
  return { run, evals };
}

describe('pretext train: the encoder-decoder objectives on T5ForConditionalGeneration', () => {
  it('span-corruption: trains, and pretext predict fills each sentinel of a corrupted sentence', () => {
    const { run } = trains('span-corruption');
    const p = cli([
      'predict',
      '--run',
      run,
      'The jury said <extra_id_0> the election <extra_id_1>.',
      '--max-new-tokens',
      '12',
      '--json',
    ]);
    expect(p.status, p.stderr).toBe(0);
    const out = JSON.parse(p.stdout);
    expect(out.spans.map((s: { sentinel: string }) => s.sentinel)).toEqual(['<extra_id_0>', '<extra_id_1>']);
    expect(out.output_ids.length).toBeGreaterThan(0);
    expect(out.output_ids.length).toBeLessThanOrEqual(12);
  });

  it('prefix-lm (encoder-decoder, its default model): trains', () => {
    trains('prefix-lm');
  });

  it('bart-infilling (on T5, with the bart tokenizer family): trains', () => {
    trains('bart-infilling');
  });
});
