import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from './tokenizer.js';

const root = join(__dirname, '..', '..');
const files = [
  ...readdirSync(join(root, 'test', 'fixtures', 'tokenizers'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(root, 'test', 'fixtures', 'tokenizers', f)),
  ...readdirSync(join(root, 'assets', 'tokenizers')).map((f) => join(root, 'assets', 'tokenizers', f)),
];
const texts = [
  "The jury said it did find that many of Georgia's registration laws are outmoded.",
  '  café  naïve — 東京 🙂 <mask> [MASK] </s>',
  '',
  'a',
];

describe('encodeIds', () => {
  it.each(files.map((f) => [f.split('/').slice(-1)[0], f]))(
    '%s: the ids of encode, with and without special tokens',
    (_name, file) => {
      const tok = loadTokenizer(readFileSync(file, 'utf8'));
      const same = (t: string) => {
        for (const addSpecialTokens of [true, false])
          expect(Array.from(tok.encodeIds(t, { addSpecialTokens }))).toEqual(
            Array.from(tok.encode(t, undefined, { addSpecialTokens }).ids),
          );
      };
      texts.forEach(same);
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (t) => same(t)),
        { numRuns: 60 },
      );
    },
  );
});
