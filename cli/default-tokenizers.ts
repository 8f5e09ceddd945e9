// The built-in tokenizers `pretext show` uses when none is given: one per model family (src/view/families.ts), trained
// on the Brown corpus by `npm run make:tokenizers` and shipped in assets/tokenizers/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PretextError } from '../src/errors.js';
import type { ObjectiveId } from '../src/objectives/objective.js';
import { familyOf, tokenizerFileOf, type Family } from '../src/view/families.js';
import { loadTokenizer, type Tokenizer } from '../src/tokenize/index.js';
import { packageRoot } from './package-root.js';

export { familyOf, type Family } from '../src/view/families.js';

/** Path of the shipped tokenizer for a family. */
export function defaultTokenizerPath(family: Family['name']): string {
  return join(packageRoot(), 'assets', 'tokenizers', tokenizerFileOf(family));
}

const cache = new Map<string, Tokenizer>();

export function defaultTokenizer(id: ObjectiveId): Tokenizer {
  const { name } = familyOf(id);
  let tok = cache.get(name);
  if (!tok) {
    let json: string;
    try {
      json = readFileSync(defaultTokenizerPath(name), 'utf8');
    } catch {
      throw new PretextError(
        `the built-in ${name} tokenizer is missing (assets/tokenizers/brown-${name}.json); reinstall pretext`,
      );
    }
    tok = loadTokenizer(json);
    cache.set(name, tok);
  }
  return tok;
}
