// Four defects found against HF `tokenizers` on real vocabularies (issue 7), on the fixtures: StripAccents removes
// every combining mark (Mn, Mc, Me); offsets after a lone high surrogate; byte-level decode keeps a leading U+FEFF;
// Metaspace builds its alignments in one pass (encoding work linear in the length).
import { describe, expect, it } from 'vitest';
import { hfDifferences, PAIRS, readFixture, TABLE } from './parity.case.js';
import { loadTokenizer } from './tokenizer.js';

const EDGES = [
  'हिन्दी किताब पढ़ता', // Devanagari vowel signs (Mc) and nukta/virama (Mn)
  'keycaps 1\uFE0F\u20E3 #\u20E3 and e\u20DD', // enclosing keycap (Me)
  'তামিল கொண்டு', // Bengali and Tamil vowel signs (Mc)
  'lone \uD83D high, then more text',
  'end \uD83D',
  'lone \uDE00 low and \uD83D\uDE00 pair',
  '\uFEFFbom at the start',
  'mid\uFEFFdle bom',
];

describe('HF parity on the ALBERT-style Unigram fixture (Metaspace + NFKD + StripAccents)', () => {
  it('albert-unigram.json on the table, the pairs and the edge cases', async () => {
    const json = readFixture('albert-unigram.json');
    expect(await hfDifferences(loadTokenizer(json), json, [...TABLE, ...EDGES], PAIRS)).toEqual([]);
  });
});

describe('HF parity on the edge cases with every fixture', () => {
  for (const name of [
    'bert-wordpiece.json',
    'bert-cased-wordpiece.json',
    'gpt2-bpe.json',
    'roberta-bpe.json',
    't5-unigram.json',
  ]) {
    it(name, async () => {
      const json = readFixture(name);
      expect(await hfDifferences(loadTokenizer(json), json, EDGES, [])).toEqual([]);
    });
  }
});

describe('byte-level decode', () => {
  it('keeps a leading U+FEFF', () => {
    const tok = loadTokenizer(readFixture('gpt2-bpe.json'));
    expect(tok.decode(tok.encode('\uFEFFhi').ids)).toBe('\uFEFFhi');
  });
});

describe('offsets after a lone high surrogate', () => {
  it('each token maps back to its own text', () => {
    const tok = loadTokenizer(readFixture('bert-cased-wordpiece.json'));
    const text = 'a \uD83D b cat';
    const e = tok.encode(text, undefined, { addSpecialTokens: false });
    // clean_text removes the lone surrogate; the tokens after it keep their own offsets
    expect(e.tokens).toEqual(['a', 'b', 'c', '##at']);
    expect(e.offsets.map(([s, t]) => text.slice(s, t))).toEqual(['a', 'b', 'c', 'at']);
  });
});

// Work, not time: count the alignment entries allocated (Int32Array elements) while encoding n and 8n words.
// Linear work gives a ratio near 8; the old per-space rebuild gave a ratio near 64.
describe('Metaspace encoding work is linear in the length', () => {
  it('8x the text allocates about 8x the alignment entries, not 64x', () => {
    const tok = loadTokenizer(readFixture('albert-unigram.json'));
    const words = 'the jury said friday an investigation of recent primary elections produced no evidence'.split(' ');
    const text = (n: number) => Array.from({ length: n }, (_, i) => words[i % words.length]).join(' ');
    const work = (s: string): number => {
      const Original = globalThis.Int32Array;
      let total = 0;
      class Counting extends Original {
        constructor(...args: unknown[]) {
          super(...(args as [number]));
          total += this.length;
        }
      }
      globalThis.Int32Array = Counting as unknown as Int32ArrayConstructor;
      try {
        tok.encode(s);
      } finally {
        globalThis.Int32Array = Original;
      }
      return total;
    };
    const small = work(text(400));
    const large = work(text(3200));
    expect(small).toBeGreaterThan(0);
    expect(large / small).toBeLessThan(12);
  });
});
