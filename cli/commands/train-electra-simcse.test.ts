// pretext train for ELECTRA and SimCSE end to end (node dist/cli/main.js): exit 0, the loss falls, config.json names
// the HF architecture (ELECTRA: the discriminator, and generator/ beside it), safetensors hold HF names and shapes,
// the validation rows carry each objective's figures; supervised SimCSE from a generated JSONL of triples.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/model/index.js';
import { loadBrown } from '../io/brown-files.js';
import { cli, corpusDir, smallFlags, runLog, mean } from '../train-cli.case.js';

let dir: string;
let corpus: string;
beforeAll(async () => ({ dir, corpus } = await corpusDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lossFalls(run: string): void {
  const losses = runLog(run)
    .filter((x) => 'loss' in x)
    .map((x) => x.loss);
  expect(losses.length).toBe(40);
  expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
}
const shapes = (file: string) =>
  Object.fromEntries([...readSafetensors(new Uint8Array(readFileSync(file))).tensors].map(([k, t]) => [k, t.shape]));
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('pretext train --objective electra', () => {
  it('trains generator + discriminator; saves ElectraForPreTraining and generator/ ElectraForMaskedLM with HF names', () => {
    const run = join(dir, 'electra');
    const r = cli([
      'train',
      ...smallFlags(corpus, 'electra'),
      '--steps',
      '40',
      '--eval-every',
      '20',
      '--save-every',
      '0',
      '--out',
      run,
    ]);
    expect(r.stderr).toContain('done at step 40');
    expect(r.status).toBe(0);
    lossFalls(run);
    const val = runLog(run).filter((x) => 'val_loss' in x);
    for (const k of ['val_gen_accuracy', 'val_disc_accuracy', 'val_rtd_auc', 'val_mlm_loss', 'val_rtd_loss'])
      expect(val.at(-1), k).toHaveProperty(k);
    const ckpt = join(run, 'checkpoint-40');
    expect(readdirSync(join(ckpt, 'generator')).sort()).toEqual(['config.json', 'model.safetensors']);
    expect(json(join(ckpt, 'config.json'))).toMatchObject({
      model_type: 'electra',
      architectures: ['ElectraForPreTraining'],
      hidden_size: 32,
      embedding_size: 16,
      vocab_size: 600,
    });
    expect(json(join(ckpt, 'generator', 'config.json'))).toMatchObject({
      model_type: 'electra',
      architectures: ['ElectraForMaskedLM'],
      hidden_size: 8,
      embedding_size: 16,
    });
    const d = shapes(join(ckpt, 'model.safetensors'));
    expect(d['electra.embeddings.word_embeddings.weight']).toEqual([600, 16]);
    expect(d['electra.embeddings_project.weight']).toEqual([32, 16]);
    expect(d['electra.encoder.layer.0.attention.self.query.weight']).toEqual([32, 32]);
    expect(d['discriminator_predictions.dense_prediction.weight']).toEqual([1, 32]);
    expect(Object.keys(d).some((k) => k.startsWith('generator'))).toBe(false);
    const g = shapes(join(ckpt, 'generator', 'model.safetensors'));
    expect(g['electra.embeddings.word_embeddings.weight']).toEqual([600, 16]);
    expect(g['electra.embeddings_project.weight']).toEqual([8, 16]);
    expect(g['generator_predictions.dense.weight']).toEqual([16, 8]);
    expect(g['generator_lm_head.bias']).toEqual([600]);
  });
});

describe('pretext train --objective electra --resume', () => {
  it('continues generator and discriminator from a checkpoint (generator/ included) byte for byte', () => {
    const flags = [
      ...smallFlags(corpus, 'electra'),
      '--steps',
      '30',
      '--eval-every',
      '0',
      '--save-every',
      '10',
      '--keep-checkpoints',
      '3',
    ];
    const [whole, cut] = [join(dir, 'electra-whole'), join(dir, 'electra-cut')];
    expect(cli(['train', ...flags, '--out', whole]).status).toBe(0);
    expect(cli(['train', ...flags, '--out', cut]).status).toBe(0);
    rmSync(join(cut, 'checkpoint-30'), { recursive: true });
    const resumed = cli(['train', ...flags, '--out', cut, '--resume']);
    expect(resumed.stderr).toContain('resuming at step 20');
    expect(resumed.status).toBe(0);
    for (const f of ['model.safetensors', 'generator/model.safetensors', 'optimizer.safetensors']) {
      expect(readFileSync(join(cut, 'checkpoint-30', f)).equals(readFileSync(join(whole, 'checkpoint-30', f))), f).toBe(
        true,
      );
    }
  });
});

describe('pretext train --objective simcse', () => {
  it('unsupervised on Brown sentences (mean pooling from scratch): HF BertModel; alignment, uniformity, retrieval', () => {
    const run = join(dir, 'simcse');
    const r = cli([
      'train',
      ...smallFlags(corpus, 'simcse'),
      '--steps',
      '40',
      '--eval-every',
      '20',
      '--save-every',
      '0',
      '--out',
      run,
    ]);
    expect(r.stderr).toContain('done at step 40');
    expect(r.status).toBe(0);
    lossFalls(run);
    const val = runLog(run)
      .filter((x) => 'val_loss' in x)
      .at(-1);
    for (const k of ['val_alignment', 'val_uniformity', 'val_retrieval']) expect(val, k).toHaveProperty(k);
    const ckpt = join(run, 'checkpoint-40');
    const c = json(join(ckpt, 'config.json'));
    expect(c).toMatchObject({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_dropout_prob: 0.1,
      simcse: { pooler: 'avg', eval_pooler: 'avg', temperature: 0.05 },
    });
    const s = shapes(join(ckpt, 'model.safetensors'));
    expect(s['embeddings.word_embeddings.weight']).toEqual([600, 32]);
    expect(s['encoder.layer.1.output.dense.weight']).toEqual([32, 64]);
    expect(Object.keys(s).some((k) => k.startsWith('bert.') || k.startsWith('cls.'))).toBe(false);
  });

  it('supervised from a JSONL of (anchor, positive, hard negative) triples, pooler cls: the MLP is kept at evaluation', async () => {
    // generated: a Brown sentence, itself without its first word, a sentence of another document
    const sentences: string[][] = [];
    for await (const d of loadBrown()) {
      sentences.push(d.sentences.filter((s) => s.split(' ').length >= 6));
      if (sentences.length === 60) break;
    }
    const lines: string[] = [];
    sentences.forEach((doc, i) => {
      const other = sentences[(i + 7) % sentences.length];
      for (let k = 0; k < doc.length && k < 6; k++)
        lines.push(
          JSON.stringify({
            anchor: doc[k],
            positive: doc[k].split(' ').slice(1).join(' '),
            negative: other[k % other.length],
          }),
        );
    });
    const pairs = join(dir, 'triples.jsonl');
    writeFileSync(pairs, `${lines.join('\n')}\n`);
    const run = join(dir, 'simcse-sup');
    const r = cli([
      'train',
      ...smallFlags(corpus, 'simcse'),
      '--mode',
      'supervised',
      '--pooler',
      'cls',
      '--pairs',
      pairs,
      '--steps',
      '40',
      '--eval-every',
      '20',
      '--save-every',
      '0',
      '--out',
      run,
    ]);
    expect(r.stderr).toContain('done at step 40');
    expect(r.status).toBe(0);
    lossFalls(run);
    expect(json(join(run, 'checkpoint-40', 'config.json')).simcse).toMatchObject({ pooler: 'cls', eval_pooler: 'cls' });
    expect(shapes(join(run, 'checkpoint-40', 'model.safetensors'))['pooler.dense.weight']).toEqual([32, 32]);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"anchor": "a b", "positive": "c d"}\n');
    const e = cli([
      'train',
      ...smallFlags(corpus, 'simcse'),
      '--mode',
      'supervised',
      '--pairs',
      bad,
      '--steps',
      '2',
      '--out',
      join(dir, 'bad-run'),
    ]);
    expect(e.status).toBe(2);
    expect(e.stderr.trim()).toBe(`pretext: ${bad} line 1: "negative" (or "hard_neg") must be a non-empty string`);
  });
});
