// pretext predict with a T5 checkpoint (a random one written here with the t5 tokenizer family; the trained
// span-corruption run is in the train tests): each sentinel of the text gets the span the greedy decoder wrote.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../../src/engine/reference/index.js';
import { fillSentinels } from '../../src/eval/fill-sentinels.js';
import { saveModel, t5Config, T5Model } from '../../src/model/index.js';
import { trainFamilyTokenizer } from '../../src/tokenize/families.js';
import { cli } from '../train-cli.case.js';

let dir: string;
let model: T5Model;
const tok = trainFamilyTokenizer(
  Array.from({ length: 50 }, (_, i) => `the cat sat on the mat ${i} and the dog ran`),
  { family: 't5', vocabSize: 400 },
);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pretext-t5-'));
  model = new T5Model(
    t5Config({ vocab_size: tok.vocabSize, d_model: 16, d_kv: 4, d_ff: 32, num_layers: 1, num_heads: 2 }),
    createReferenceEngine(),
    { seed: 3 },
  );
  const saved = saveModel(model);
  writeFileSync(join(dir, 'config.json'), saved.config);
  writeFileSync(join(dir, 'model.safetensors'), saved.safetensors);
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.toJSON()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext predict (T5)', () => {
  const text = 'the cat <extra_id_0> the mat <extra_id_1>.';

  it('--json: the encoder ids (sentinels, eos), the greedy output and one span per sentinel, as fillSentinels gives', () => {
    const r = cli(['predict', '--run', dir, text, '--max-new-tokens', '7', '--json', '--engine', 'reference']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['input_ids', 'output_ids', 'spans']);
    const ids = tok.encode('the cat<extra_id_0> the mat<extra_id_1>.').ids; // the space before a sentinel is dropped
    expect(ids).not.toContain(tok.tokenToId('Ġ'));
    expect(out.input_ids).toEqual(Array.from(ids));
    expect(out.input_ids.at(-1)).toBe(tok.tokenToId('</s>'));
    expect(out.input_ids).toContain(tok.vocabSize - 1); // <extra_id_0> at the top of the vocabulary
    const want = fillSentinels(model, ids, (id) => /^<extra_id_\d+>$/.test(tok.idToToken(id) ?? ''), 7);
    expect(out.output_ids).toEqual(Array.from(want.output));
    expect(out.spans.map((s: { sentinel: string }) => s.sentinel)).toEqual(['<extra_id_0>', '<extra_id_1>']);
    expect(out.spans.map((s: { ids: number[] }) => s.ids)).toEqual(want.spans.map((s) => s.ids));
  });

  it('prints one line per sentinel; a text without a sentinel is a one-line error (exit 2)', () => {
    const r = cli(['predict', '--run', dir, text, '--max-new-tokens', '4']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<extra_id_0> .*\n<extra_id_1> .*\n$/);
    const bad = cli(['predict', '--run', dir, 'the cat sat.']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/no sentinel/);
  });
});
