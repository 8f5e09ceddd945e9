// pretext export: a tiny trained run of each trained model family (BERT, GPT-2, T5) as HF's layout.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/model/safetensors.js';
import { loadTokenizer } from '../../src/tokenize/index.js';
import { cli, corpusDir, smallFlags } from '../train-cli.case.js';

let dir: string;
let corpus: string;

beforeAll(async () => {
  ({ dir, corpus } = await corpusDir(20));
  for (const objective of ['mlm', 'clm', 'span-corruption'] as const) {
    const r = cli([
      'train',
      ...smallFlags(corpus, objective),
      '--steps',
      '2',
      '--eval-every',
      '0',
      '--out',
      join(dir, objective),
    ]);
    expect(r.status, r.stderr).toBe(0);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext export --format hf', () => {
  it('writes config, weights and the tokenizer files AutoTokenizer reads, nothing of the trainer', () => {
    const cases = [
      { objective: 'mlm', cls: 'BertTokenizerFast', vocab: ['vocab.txt'], arch: 'BertForMaskedLM' },
      { objective: 'clm', cls: 'GPT2TokenizerFast', vocab: ['merges.txt', 'vocab.json'], arch: 'GPT2LMHeadModel' },
      {
        objective: 'span-corruption',
        cls: 'PreTrainedTokenizerFast',
        vocab: ['merges.txt', 'vocab.json'],
        arch: 'T5ForConditionalGeneration',
      },
    ];
    for (const c of cases) {
      const out = join(dir, `hf-${c.objective}`);
      const r = cli(['export', '--run', join(dir, c.objective), '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(
        [
          'config.json',
          'model.safetensors',
          'special_tokens_map.json',
          'tokenizer.json',
          'tokenizer_config.json',
          ...c.vocab,
        ].sort(),
      );
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(config.architectures).toEqual([c.arch]);
      const tc = JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'));
      expect(tc.tokenizer_class).toBe(c.cls);
      const tok = loadTokenizer(readFileSync(join(out, 'tokenizer.json'), 'utf8'));
      const weights = readSafetensors(new Uint8Array(readFileSync(join(out, 'model.safetensors'))));
      const vocabSize = config.vocab_size as number;
      expect(tok.vocabSize).toBe(vocabSize);
      const embedding = {
        mlm: 'bert.embeddings.word_embeddings.weight',
        clm: 'transformer.wte.weight',
        'span-corruption': 'shared.weight',
      }[c.objective];
      expect(weights.tensors.get(embedding)!.shape[0]).toBe(vocabSize);
      if (c.objective === 'span-corruption') {
        expect(config.tie_word_embeddings).toBe(true); // tied copies stay out, as save_pretrained leaves them
        for (const tied of ['lm_head.weight', 'encoder.embed_tokens.weight', 'decoder.embed_tokens.weight'])
          expect(weights.tensors.has(tied)).toBe(false);
        const specials = JSON.parse(readFileSync(join(out, 'special_tokens_map.json'), 'utf8'));
        expect(specials).toMatchObject({ eos_token: '</s>', pad_token: '<pad>' });
        expect(specials.additional_special_tokens).toContain('<extra_id_0>'); // the sentinels
        expect(specials.additional_special_tokens.every((t: string) => tok.tokenToId(t) !== undefined)).toBe(true);
      }
      if (c.objective === 'mlm') {
        const lines = readFileSync(join(out, 'vocab.txt'), 'utf8').split('\n').slice(0, -1);
        expect(lines.length).toBe(vocabSize);
        lines.forEach((t, id) => expect(tok.tokenToId(t)).toBe(id));
        const specials = JSON.parse(readFileSync(join(out, 'special_tokens_map.json'), 'utf8'));
        expect(specials).toMatchObject({
          cls_token: '[CLS]',
          sep_token: '[SEP]',
          mask_token: '[MASK]',
          pad_token: '[PAD]',
          unk_token: '[UNK]',
        });
      } else {
        const vocab = JSON.parse(readFileSync(join(out, 'vocab.json'), 'utf8'));
        for (const [t, id] of Object.entries(vocab)) expect(tok.tokenToId(t)).toBe(id);
        const merges = readFileSync(join(out, 'merges.txt'), 'utf8').split('\n');
        expect(merges[0]).toBe('#version: 0.2');
        expect(merges.length).toBeGreaterThan(2);
        expect(merges[1].split(' ')).toHaveLength(2);
      }
    }
  });

  it('refuses to replace an existing folder without --overwrite, and a folder that is no run', () => {
    const out = join(dir, 'hf-mlm');
    if (!existsSync(out)) expect(cli(['export', '--run', join(dir, 'mlm'), '--out', out]).status).toBe(0);
    const again = cli(['export', '--run', join(dir, 'mlm'), '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^pretext: .* exists; pass --overwrite/);
    expect(cli(['export', '--run', join(dir, 'mlm'), '--out', out, '--overwrite']).status).toBe(0);
    const none = cli(['export', '--run', join(dir, 'nothing'), '--out', join(dir, 'x')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^pretext: no run at/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});

describe('pretext inspect', () => {
  it('describes a prepared dataset with a decoded example, a shard file, and a run', () => {
    const fixtures = join(__dirname, '..', '..', 'test', 'fixtures', 'prepared');
    const ds = cli(['inspect', join(fixtures, 'megatron'), '--json']);
    expect(ds.status, ds.stderr).toBe(0);
    const r = JSON.parse(ds.stdout);
    expect(r).toMatchObject({ kind: 'prepared dataset', complete: true, counts: { documents: 12, sequences: 24 } });
    expect(r.example.text).toBe('rivers cat sat people on.');
    const idx = JSON.parse(cli(['inspect', join(fixtures, 'megatron', 'shard-00000-of-00001.idx'), '--json']).stdout);
    expect(idx).toMatchObject({
      kind: 'megatron indexed dataset (MMIDIDX)',
      dtype: 'uint16',
      sequences: 24,
      documents: 12,
      binMatchesIndex: true,
    });
    const npy = JSON.parse(
      cli(['inspect', join(fixtures, 'npy', 'shard-00000-of-00001.documents.npy'), '--json']).stdout,
    );
    expect(npy).toMatchObject({ kind: '.npy', dtype: '<i8', shape: [13] });
    const run = JSON.parse(cli(['inspect', join(dir, 'mlm'), '--json']).stdout);
    expect(run).toMatchObject({
      kind: 'model',
      model_type: 'bert',
      architectures: ['BertForMaskedLM'],
      trainer: { step: 2 },
    });
    expect(run.parameters).toBeGreaterThan(0);
    const text = cli(['inspect', join(dir, 'mlm')]);
    expect(text.stdout).toMatch(/^kind: model\n/);
    const bad = cli(['inspect', join(dir, 'missing.npy')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^pretext: no such file/);
  });
});
