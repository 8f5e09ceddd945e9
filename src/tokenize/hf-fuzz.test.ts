// Random strings over a hostile alphabet (combining marks, CJK, emoji, odd whitespace, controls, pieces of
// special tokens) against HF `tokenizers`, for every fixture; seeded, so failures replay.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from './tokenizer.js';
import { hfDifferences, readFixture } from './parity.case.js';

const PIECES = [
  'a',
  'e',
  'The',
  ' ',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u3000',
  '\u2028',
  '.',
  ',',
  "'",
  "'s",
  '-',
  '$',
  '1',
  '42',
  '½',
  '\u0301',
  '\u0323',
  'é',
  'Å',
  'ﬁ',
  'Ａ',
  'İ',
  'Σ',
  'ß',
  '中',
  '日本',
  '한',
  '😀',
  '👍🏽',
  '👨‍👩‍👧',
  '\u200b',
  '\u00ad',
  '\u0000',
  '\u0007',
  '\ufffd',
  '[MASK]',
  '[CLS]',
  '<s>',
  '</s>',
  '<mask>',
  '<|endoftext|>',
  '<extra_id_0>',
  '<pad>',
  '##',
  '▁',
  'Ġ',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((a) => a.join(''));

describe('HF parity on random strings', () => {
  for (const name of [
    'bert-wordpiece.json',
    'bert-cased-wordpiece.json',
    'gpt2-bpe.json',
    'roberta-bpe.json',
    't5-unigram.json',
  ]) {
    it(name, async () => {
      const json = readFixture(name);
      const tok = loadTokenizer(json);
      await fc.assert(
        fc.asyncProperty(text, text, async (a, b) => {
          expect(await hfDifferences(tok, json, [a], [[a, b]])).toEqual([]);
        }),
        { seed: 20240601, numRuns: 150 },
      );
    });
  }
});
