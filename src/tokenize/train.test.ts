// Trainers: HF's BpeTrainer known answer, merge-for-merge parity with HF's trainer on Brown, and trained
// tokenizers that HF `tokenizers` and `@huggingface/tokenizers` load and encode identically.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as HfJsTokenizer } from '@huggingface/tokenizers';
import { afterAll, describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { countWords, trainByteLevelBpe, trainWordPiece } from './train.js';
import { trainBpe } from './train-bpe.js';
import { trainFamilyTokenizer } from './families.js';
import { loadTokenizer, type Tokenizer } from './tokenizer.js';
import { PAIRS, TABLE, hf, hfDifferences } from './parity.case.js';
// @ts-expect-error plain .mjs tool without types
import { brownSentences } from '../../tools/make-tokenizer-fixtures.mjs';

const brown: string[] = brownSentences(12);
const tmp = mkdtempSync(join(tmpdir(), 'pretext-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** HF's binding trains with the model's default trainer (vocab 30000, min_frequency 0, no specials). */
function hfTrainDefault(kind: 'bpe' | 'wordpiece', lines: string[]): { vocab: string[]; merges: string[] } {
  const file = join(tmp, `${kind}.txt`);
  writeFileSync(file, lines.join(''));
  const tok = new hf.Tokenizer(kind === 'bpe' ? hf.BPE.empty() : hf.WordPiece.empty());
  if (kind === 'bpe') tok.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
  else {
    tok.setNormalizer(hf.bertNormalizer());
    tok.setPreTokenizer(hf.bertPreTokenizer());
  }
  tok.train([file]);
  const out = join(tmp, `${kind}.json`);
  tok.save(out);
  const model = JSON.parse(readFileSync(out, 'utf8')).model;
  const vocab = Object.entries(model.vocab as Record<string, number>)
    .sort((a, b) => a[1] - b[1])
    .map(([t]) => t);
  return { vocab, merges: (model.merges ?? []).map((m: string | string[]) => (Array.isArray(m) ? m.join(' ') : m)) };
}

describe('trainBpe', () => {
  it('matches the known answer of HF BpeTrainer (min_frequency 2: re, are, is)', () => {
    const counts = new Map(
      Object.entries({
        roses: 1,
        are: 2,
        red: 1,
        voilets: 1,
        blue: 1,
        BERT: 1,
        is: 2,
        big: 1,
        and: 1,
        so: 1,
        'GPT-2': 1,
      }),
    );
    const { vocab, merges } = trainBpe(counts, { vocabSize: 30000, minFrequency: 2, specialTokens: [] });
    expect(vocab).toEqual([
      '-',
      '2',
      'B',
      'E',
      'G',
      'P',
      'R',
      'T',
      'a',
      'b',
      'd',
      'e',
      'g',
      'i',
      'l',
      'n',
      'o',
      'r',
      's',
      't',
      'u',
      'v',
      're',
      'are',
      'is',
    ]);
    expect(merges).toEqual([
      ['r', 'e'],
      ['a', 're'],
      ['i', 's'],
    ]);
  });

  it('puts specials first, keeps the most frequent chars under limit_alphabet, prefixes continuations', () => {
    const counts = new Map(Object.entries({ aab: 3, abc: 2, zq: 1 }));
    const { vocab } = trainBpe(counts, {
      vocabSize: 9,
      minFrequency: 0,
      specialTokens: ['[S]'],
      limitAlphabet: 3,
      continuingSubwordPrefix: '##',
    });
    expect(vocab.slice(0, 4)).toEqual(['[S]', 'a', 'b', 'c']);
    expect(vocab).toContain('##a');
    expect(vocab).not.toContain('z');
    expect(vocab).toHaveLength(9);
  });

  it('byte-level BPE: same vocabulary and merges as HF BpeTrainer on Brown, in order', () => {
    const lines = brown.slice(0, 3000).map((s) => `${s}\n`);
    const ref = hfTrainDefault('bpe', lines);
    const ours = trainBpe(countWords(lines, null, { type: 'ByteLevel', add_prefix_space: false }), {
      vocabSize: 30000,
      minFrequency: 0,
      specialTokens: [],
    });
    expect(ours.vocab.length).toBeGreaterThan(3000);
    expect(ours.vocab).toEqual(ref.vocab);
    expect(ours.merges.map((m) => m.join(' '))).toEqual(ref.merges);
  });

  it('WordPiece: the same vocabulary as HF WordPieceTrainer up to tie order (HF orders ## chars by hash)', () => {
    const lines = brown.slice(0, 3000).map((s) => `${s}\n`);
    const ref = hfTrainDefault('wordpiece', lines);
    const ours = trainBpe(countWords(lines, { type: 'BertNormalizer' }, { type: 'BertPreTokenizer' }), {
      vocabSize: 30000,
      minFrequency: 0,
      specialTokens: [],
      continuingSubwordPrefix: '##',
    });
    expect(Math.abs(ours.vocab.length - ref.vocab.length)).toBeLessThan(ref.vocab.length * 0.005);
    const theirs = new Set(ref.vocab);
    expect(ours.vocab.filter((t) => theirs.has(t)).length / ref.vocab.length).toBeGreaterThan(0.99);
  });
});

function checkedTrained(name: string, make: () => Tokenizer, family: 'bert' | 'gpt') {
  describe(name, () => {
    const tok = make();
    const json = JSON.stringify(tok.toJSON());

    it('has the requested size and family specials', () => {
      expect(tok.vocabSize).toBe(2000);
      const v = tok.vocabInfo();
      if (family === 'bert') {
        expect(v).toMatchObject({
          vocabSize: 2000,
          padId: 0,
          unkId: 1,
          clsId: 2,
          sepId: 3,
          maskId: 4,
          specialIds: [0, 1, 2, 3, 4],
        });
        expect(tok.idToToken(4)).toBe('[MASK]');
      } else {
        expect(v).toMatchObject({ vocabSize: 2000, padId: 0, bosId: 0, eosId: 0, specialIds: [0] });
        expect(tok.idToToken(0)).toBe('<|endoftext|>');
      }
    });

    it('HF tokenizers loads toJSON() and encodes and decodes identically', async () => {
      expect(await hfDifferences(tok, json)).toEqual([]);
      expect(hf.Tokenizer.fromString(json).getVocabSize(true)).toBe(2000);
    });

    it('@huggingface/tokenizers loads toJSON() and gives the same ids and tokens', () => {
      const js = new HfJsTokenizer(JSON.parse(json), {});
      for (const t of TABLE) {
        const e = tok.encode(t);
        const r = js.encode(t);
        expect([...e.ids], t).toEqual(r.ids);
        expect(e.tokens, t).toEqual(r.tokens);
      }
      // Pairs: that library drops the pair under a ByteLevel post-processor and treats '' as no pair.
      for (const [a, b] of family === 'bert' ? PAIRS.filter(([, b]) => b !== '') : []) {
        const r = js.encode(a, { text_pair: b, return_token_type_ids: true });
        const e = tok.encode(a, b);
        expect([...e.ids]).toEqual(r.ids);
        expect([...e.typeIds]).toEqual(r.token_type_ids);
      }
    });

    it('is deterministic', () => {
      expect(JSON.stringify(make().toJSON())).toBe(json);
    });

    it('survives a toJSON -> loadTokenizer round trip', () => {
      const again = loadTokenizer(json);
      for (const t of TABLE) expect([...again.encode(t).ids]).toEqual([...tok.encode(t).ids]);
    });
  });
}

checkedTrained('trainWordPiece (BERT, uncased)', () => trainWordPiece(brown, { vocabSize: 2000 }), 'bert');
checkedTrained('trainByteLevelBpe (GPT-2)', () => trainByteLevelBpe(brown, { vocabSize: 2000 }), 'gpt');

describe('trained tokenizers, behaviour', () => {
  it('byte-level BPE decodes every input back exactly', () => {
    const tok = trainByteLevelBpe(brown.slice(0, 2000), { vocabSize: 600 });
    for (const t of TABLE) expect(tok.decode(tok.encode(t).ids)).toBe(t);
  });

  it('cased WordPiece keeps case; minFrequency stops merging early', () => {
    const cased = trainWordPiece(brown.slice(0, 2000), { vocabSize: 1500, lowercase: false });
    expect(cased.encode('The').tokens).toContain('The');
    const rare = trainWordPiece(['a b c d'], { vocabSize: 100, minFrequency: 2 });
    expect(rare.vocabSize).toBe(5 + 4); // specials and alphabet only: single-char words have no pairs
  });

  it('rejects bad sizes with a PretextError', () => {
    expect(() => trainWordPiece(['x'], { vocabSize: 0 })).toThrow(PretextError);
    expect(() => trainByteLevelBpe(['x'], { vocabSize: 100, minFrequency: -1 })).toThrow(PretextError);
  });
});

describe('family tokenizers (families.ts) load in HF identically', () => {
  const texts = brown.slice(0, 2000);
  for (const family of ['bert', 'gpt2', 't5', 'bart'] as const) {
    it(family, async () => {
      const tok = trainFamilyTokenizer(texts, { family, vocabSize: 800 });
      expect(tok.vocabSize).toBe(800);
      const v = tok.vocabInfo();
      if (family === 't5') {
        expect(v).toMatchObject({ padId: 0, eosId: 1, unkId: 2 });
        expect(tok.tokenToId('<extra_id_0>')).toBe(799);
        expect(tok.tokenToId('<extra_id_99>')).toBe(700);
      }
      if (family === 'bart')
        expect(v).toMatchObject({ clsId: 0, padId: 1, sepId: 2, unkId: 3, maskId: 799, bosId: 0, eosId: 2 });
      expect(await hfDifferences(tok, JSON.stringify(tok.toJSON()))).toEqual([]);
    });
  }
});
