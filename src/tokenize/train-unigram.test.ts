import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBrown } from '../../cli/io/brown-files.js';
import { trainFamilyTokenizer } from './families.js';
import { countWords } from './train.js';
import { digamma, trainUnigram, trainUnigramPieces } from './train-unigram.js';
import { loadTokenizer } from './tokenizer.js';

const hf = createRequire(import.meta.url)('tokenizers') as {
  Tokenizer: {
    fromString(s: string): {
      train(files: string[]): void;
      save(path: string): void;
      encode(a: string, b: null, o: object): Promise<{ getIds(): number[] }>;
    };
  };
};

const sentences: string[] = [];
let dir: string;
beforeAll(async () => {
  let n = 0;
  for await (const d of loadBrown()) {
    sentences.push(...d.sentences);
    if (++n === 40) break;
  }
  dir = mkdtempSync(join(tmpdir(), 'pretext-unigram-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('digamma', () => {
  it('matches known values', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12);
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 12);
    expect(digamma(10)).toBeCloseTo(2.251752589066721, 12);
  });
});

describe('unigram training', () => {
  it('keeps every character, reaches the size, and HF tokenizers encodes with it exactly as pretext does', async () => {
    const texts = sentences.slice(0, 800);
    const tok = trainUnigram(texts, { vocabSize: 600 });
    expect(tok.vocabSize).toBe(600);
    const json = tok.toJSON() as { model: { vocab: [string, number][]; unk_id: number } };
    expect(json.model.vocab.slice(0, 3).map(([p]) => p)).toEqual(['<pad>', '</s>', '<unk>']);
    expect(json.model.unk_id).toBe(2);
    const pieces = new Set(json.model.vocab.map(([p]) => p));
    for (const t of texts)
      for (const ch of t.normalize('NFKC').replace(/ /g, '\u2581')) expect(pieces.has(ch), ch).toBe(true);
    const scores = json.model.vocab.slice(3).map(([, s]) => s);
    expect(scores.every((s, i) => i === 0 || s <= scores[i - 1])).toBe(true);
    const theirs = hf.Tokenizer.fromString(JSON.stringify(tok.toJSON()));
    for (const t of sentences.slice(800, 1000)) {
      const ours = tok.encode(t);
      expect(Array.from(ours.ids)).toEqual((await theirs.encode(t, null, { addSpecialTokens: true })).getIds());
      const known = [...t.normalize('NFKC').replace(/ /g, '\u2581')].every((ch) => pieces.has(ch));
      if (known) expect(tok.decode(ours.ids)).toBe(t.normalize('NFKC').replace(/ {2,}/g, ' '));
      else expect(ours.ids).toContain(2); // a character never seen in training is <unk>
    }
  });

  it("learns close to what HF tokenizers' UnigramTrainer learns from the same words (its defaults, vocab 8000)", () => {
    const normalizer = { type: 'NFKC' };
    const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
    const corpus = join(dir, 'corpus.txt');
    writeFileSync(corpus, sentences.join('\n') + '\n');
    const empty = {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [],
      normalizer,
      pre_tokenizer: metaspace,
      post_processor: null,
      decoder: metaspace,
      model: { type: 'Unigram', unk_id: null, vocab: [['a', 0]], byte_fallback: false },
    };
    const t = hf.Tokenizer.fromString(JSON.stringify(empty));
    t.train([corpus]);
    t.save(join(dir, 'hf.json'));
    const theirs = loadTokenizer(readFileSync(join(dir, 'hf.json'), 'utf8'));
    const words = [...countWords(sentences, normalizer, metaspace)];
    for (const compat of ['sentencepiece', 'hf'] as const) {
      const pieces = trainUnigramPieces(words, { vocabSize: 8000, specialTokens: [], compat });
      expect(pieces).toHaveLength(8000);
      const theirPieces = new Set(
        (theirs.toJSON() as { model: { vocab: [string, number][] } }).model.vocab.map(([p]) => p),
      );
      const shared = pieces.filter(([p]) => theirPieces.has(p)).length;
      expect(shared / 8000, compat).toBeGreaterThan(0.85); // measured: 0.88
      const ours = loadTokenizer({
        ...empty,
        model: { type: 'Unigram', unk_id: null, vocab: pieces, byte_fallback: false },
      });
      let a = 0;
      let b = 0;
      for (const s of sentences) {
        a += ours.encode(s).ids.length;
        b += theirs.encode(s).ids.length;
      }
      expect(Math.abs(a - b) / b, compat).toBeLessThan(0.03); // measured: pretext 0.9% fewer tokens
    }
  });

  it('gives the t5 family its Unigram: specials first, 100 sentinels at the top, </s> after each text', () => {
    const tok = trainFamilyTokenizer(sentences.slice(0, 400), { family: 't5', type: 'unigram', vocabSize: 500 });
    expect(tok.vocabSize).toBe(500);
    expect([tok.tokenToId('<pad>'), tok.tokenToId('</s>'), tok.tokenToId('<unk>')]).toEqual([0, 1, 2]);
    expect(tok.tokenToId('<extra_id_0>')).toBe(499);
    expect(tok.tokenToId('<extra_id_99>')).toBe(400);
    const ids = tok.encode('The jury said.').ids;
    expect(ids[ids.length - 1]).toBe(1);
    expect(tok.vocabInfo()).toMatchObject({ padId: 0, eosId: 1, unkId: 2 });
  });
});
