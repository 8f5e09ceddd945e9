// pretext train --objective mlm --model pre-ln: the pre-LN BERT (Cramming) as HF's RobertaPreLayerNormForMaskedLM.
// Exit 0, the training loss falls, config.json names the architecture and model_type, its safetensors hold exactly
// HF's parameter names and shapes (written out here from modeling_roberta_prelayernorm.py, not read from the model);
// then predict, generate (mask-predict), eval (fill-mask, probe-genre, probe-sentiment), export and --init-from on
// that run, and mlm+nsp refusing the pre-LN model in one line.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/model/index.js';
import { cli, corpusDir, smallFlags, mean, runLog } from '../train-cli.case.js';

let dir: string;
let corpus: string;
let run: string;
let config: Record<string, unknown>;
let losses: number[];
beforeAll(async () => {
  ({ dir, corpus } = await corpusDir());
  run = join(dir, 'preln');
  const r = cli([
    'train',
    ...smallFlags(corpus, 'mlm'),
    '--model',
    'pre-ln',
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
  if (r.status !== 0) throw new Error(r.stderr);
  losses = runLog(run)
    .filter((x) => 'loss' in x)
    .map((x) => x.loss);
  config = JSON.parse(readFileSync(join(run, 'checkpoint-40', 'config.json'), 'utf8'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [C, F, V, P, PAD] = [32, 64, 600, 32, 0];

/** HF RobertaPreLayerNormForMaskedLM's state dict (lm_head.decoder.weight / .bias tied, omitted as save_pretrained does). */
function robertaPreLayerNormForMaskedLM(layers: number): Record<string, number[]> {
  const b = 'roberta_prelayernorm.';
  const s: Record<string, number[]> = {
    [`${b}embeddings.word_embeddings.weight`]: [V, C],
    [`${b}embeddings.position_embeddings.weight`]: [P + PAD + 1, C],
    [`${b}embeddings.token_type_embeddings.weight`]: [2, C],
    [`${b}embeddings.LayerNorm.weight`]: [C],
    [`${b}embeddings.LayerNorm.bias`]: [C],
    [`${b}LayerNorm.weight`]: [C],
    [`${b}LayerNorm.bias`]: [C],
    'lm_head.dense.weight': [C, C],
    'lm_head.dense.bias': [C],
    'lm_head.layer_norm.weight': [C],
    'lm_head.layer_norm.bias': [C],
    'lm_head.bias': [V],
  };
  for (let l = 0; l < layers; l++) {
    const n = `${b}encoder.layer.${l}.`;
    for (const x of ['query', 'key', 'value'])
      Object.assign(s, { [`${n}attention.self.${x}.weight`]: [C, C], [`${n}attention.self.${x}.bias`]: [C] });
    Object.assign(s, {
      [`${n}attention.output.dense.weight`]: [C, C],
      [`${n}attention.output.dense.bias`]: [C],
      [`${n}attention.LayerNorm.weight`]: [C],
      [`${n}attention.LayerNorm.bias`]: [C],
      [`${n}intermediate.LayerNorm.weight`]: [C],
      [`${n}intermediate.LayerNorm.bias`]: [C],
      [`${n}intermediate.dense.weight`]: [F, C],
      [`${n}intermediate.dense.bias`]: [F],
      [`${n}output.dense.weight`]: [C, F],
      [`${n}output.dense.bias`]: [C],
    });
  }
  return s;
}

describe('pretext train --objective mlm --model pre-ln', () => {
  it('40 steps: the loss falls; config.json and model.safetensors are HF RobertaPreLayerNormForMaskedLM', () => {
    expect(losses).toHaveLength(40);
    expect(losses.every(Number.isFinite)).toBe(true);
    const n = Math.ceil(losses.length / 8);
    expect(mean(losses.slice(-n))).toBeLessThan(mean(losses.slice(0, n)) - 0.05);
    expect(config).toMatchObject({
      architectures: ['RobertaPreLayerNormForMaskedLM'],
      model_type: 'roberta-prelayernorm',
      hidden_size: C,
      intermediate_size: F,
      vocab_size: V,
      pad_token_id: PAD,
      max_position_embeddings: P + PAD + 1, // RoBERTa's positions start at padding_idx + 1
      type_vocab_size: 2,
      hidden_act: 'gelu',
      position_embedding_type: 'absolute',
    });
    const saved = readSafetensors(
      new Uint8Array(readFileSync(join(run, 'checkpoint-40', 'model.safetensors'))),
    ).tensors;
    expect(Object.fromEntries([...saved].map(([k, t]) => [k, t.shape]))).toEqual(robertaPreLayerNormForMaskedLM(2));
  });

  it('predict fills [MASK]; generate runs mask-predict', () => {
    const r = cli(['predict', '--run', run, 'The jury [MASK] on the [MASK].', '--top-k', '3', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.predictions).toHaveLength(2);
    for (const p of out.predictions) expect(p.top).toHaveLength(3);
    const g = cli(['generate', '--run', run, 'The jury said', '--max-new-tokens', '4', '--json']);
    expect(g.status).toBe(0);
    expect(JSON.parse(g.stdout).output_ids).toHaveLength(4);
  });

  it('eval: fill-mask, probe-genre and probe-sentiment', () => {
    const evalJson = (task: string, ...extra: string[]) => {
      const r = cli(['eval', '--run', run, '--task', task, '--json', ...extra]);
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout);
    };
    const fill = evalJson('fill-mask', '--max-tokens', '400');
    expect(fill.model).toEqual({ type: 'roberta-prelayernorm', architecture: 'RobertaPreLayerNormForMaskedLM' });
    expect(fill.results.masked).toBeGreaterThan(20);
    expect(fill.results.accuracy).toBeGreaterThanOrEqual(0);
    const genre = evalJson('probe-genre', '--chunks-per-doc', '1', '--c', '1').results;
    expect(genre.classes).toHaveLength(15);
    expect(genre.probe.accuracy).toBeGreaterThanOrEqual(0);
    const sentiment = evalJson('probe-sentiment', '--pooling', 'cls', '--c', '1').results;
    expect(sentiment.probe.accuracy).toBeGreaterThanOrEqual(0);
  });

  it('export: the tokenizer takes max_position_embeddings - pad_token_id - 1 tokens', () => {
    const out = join(dir, 'export');
    const r = cli(['export', '--run', run, '--out', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual([
      'RobertaPreLayerNormForMaskedLM',
    ]);
    expect(JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8')).model_max_length).toBe(P);
  });

  it('--init-from the pre-LN run loads every tensor; mlm+nsp does not train the pre-LN model', () => {
    const next = join(dir, 'preln-init');
    const r = cli([
      'train',
      ...smallFlags(corpus, 'mlm'),
      '--model',
      'pre-ln',
      '--steps',
      '2',
      '--eval-every',
      '0',
      '--init-from',
      run,
      '--out',
      next,
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ {2}init {7}44 tensors from \S+model\.safetensors\n/m); // all of them, none new or unused
    const bad = cli(['train', ...smallFlags(corpus, 'mlm+nsp'), '--model', 'pre-ln', '--out', join(dir, 'bad')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("pretext: mlm+nsp trains --model encoder, not 'pre-ln'");
  });
});
