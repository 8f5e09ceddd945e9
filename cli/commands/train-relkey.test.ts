// pretext train --position-embedding relative_key: BERT with HF's position_embedding_type "relative_key" (mlm+nsp,
// so BertForPreTraining). Exit 0, the training loss falls, config.json records the position type, its safetensors
// hold HF's names and shapes with one distance_embedding [2P - 1, head size] per layer (written out here from
// modeling_bert.py), the unread position table is left as initialised; predict, eval fill-mask on windows longer
// than the training rows, export and --init-from on that run; clm refuses the flag in one line.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, type StoredTensor } from '../../src/model/index.js';
import { cli, corpusDir, smallFlags, mean, runLog } from '../train-cli.case.js';

let dir: string;
let corpus: string;
let run: string;
let losses: number[];
const [C, H, P] = [32, 2, 48];
const flags = () => [
  ...smallFlags(corpus, 'mlm+nsp'),
  '--position-embedding',
  'relative_key',
  '--max-positions',
  String(P), // rows of 32 tokens (smallFlags' --seq-len), windows of 48 for eval
];
const tensors = (step: number) =>
  readSafetensors(new Uint8Array(readFileSync(join(run, `checkpoint-${step}`, 'model.safetensors')))).tensors;

beforeAll(async () => {
  ({ dir, corpus } = await corpusDir());
  run = join(dir, 'relkey');
  const r = cli([
    'train',
    ...flags(),
    '--steps',
    '40',
    '--save-every',
    '20',
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
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext train --position-embedding relative_key', () => {
  it('40 steps: the loss falls; config.json and model.safetensors are HF BertForPreTraining with relative_key', () => {
    expect(losses).toHaveLength(40);
    const n = Math.ceil(losses.length / 8);
    expect(mean(losses.slice(-n))).toBeLessThan(mean(losses.slice(0, n)) - 0.05);
    const config = JSON.parse(readFileSync(join(run, 'checkpoint-40', 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      architectures: ['BertForPreTraining'],
      model_type: 'bert',
      position_embedding_type: 'relative_key',
      max_position_embeddings: P,
    });
    const saved = tensors(40);
    for (let l = 0; l < 2; l++)
      expect(saved.get(`bert.encoder.layer.${l}.attention.self.distance_embedding.weight`)?.shape).toEqual([
        2 * P - 1,
        C / H,
      ]);
    expect(saved.get('bert.embeddings.position_embeddings.weight')?.shape).toEqual([P, C]);
    expect(saved.get('bert.pooler.dense.weight')?.shape).toEqual([C, C]);
    expect(saved.size).toBe(5 + 2 * 17 + 5 + 4); // embeddings, 16 per layer + distance, MLM head, pooler + pair head
    // the table HF keeps under relative_key is never read: no gradient, no decay, as at step 20
    const table = (step: number) =>
      (tensors(step).get('bert.embeddings.position_embeddings.weight') as StoredTensor).data as Float32Array;
    expect(table(40)).toEqual(table(20));
    // the distance rows a 32-token row reads are trained; the farthest (offsets of 32 and more) only decay
    const E = (step: number) =>
      (tensors(step).get('bert.encoder.layer.0.attention.self.distance_embedding.weight') as StoredTensor)
        .data as Float32Array;
    const change = (r: number) => {
      const [a, b] = [E(20), E(40)];
      let d = 0;
      let n = 0;
      for (let i = r * (C / H); i < (r + 1) * (C / H); i++) (d += (b[i] - a[i]) ** 2), (n += a[i] ** 2);
      return Math.sqrt(d / n);
    };
    expect(change(P - 1)).toBeGreaterThan(1e-2); // offset 0
    expect(change(0)).toBeLessThan(1e-3); // offset -(P - 1): 20 steps of lr x weight decay
  });

  it('predict, eval fill-mask on 48-token windows, export and --init-from', () => {
    const p = cli(['predict', '--run', run, 'The jury [MASK] on the [MASK].', '--top-k', '3', '--json']);
    expect(p.status).toBe(0);
    expect(JSON.parse(p.stdout).predictions).toHaveLength(2);
    const f = cli(['eval', '--run', run, '--task', 'fill-mask', '--max-tokens', '400', '--json']);
    expect(f.status).toBe(0);
    const fill = JSON.parse(f.stdout).results;
    expect(fill.masked).toBeGreaterThan(20);
    expect(fill.tokens / fill.rows).toBeGreaterThan(32); // windows longer than any training row
    const out = join(dir, 'export');
    expect(cli(['export', '--run', run, '--out', out]).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).position_embedding_type).toBe('relative_key');
    const next = cli([
      'train',
      ...flags(),
      '--steps',
      '2',
      '--eval-every',
      '0',
      '--init-from',
      run,
      '--out',
      join(dir, 'next'),
    ]);
    expect(next.status).toBe(0);
    expect(next.stderr).toMatch(/^ {2}init {7}48 tensors from \S+model\.safetensors\n/m);
  });

  it('a model family without relative positions refuses the flag in one line', () => {
    const bad = cli([
      'train',
      ...smallFlags(corpus, 'clm'),
      '--position-embedding',
      'relative_key',
      '--out',
      join(dir, 'bad'),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'pretext: --position-embedding relative_key: the gpt2 model family takes absolute positions; train clm with --position-embedding absolute',
    );
  });
});
