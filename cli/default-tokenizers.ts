// The built-in tokenizers `pretext show` uses when none is given: one per model family, trained on the Brown
// corpus by `npm run make:tokenizers` and shipped in assets/tokenizers/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PretextError } from '../src/errors.js';
import type { ObjectiveId } from '../src/objectives/objective.js';
import { loadTokenizer, type Tokenizer } from '../src/tokenize/index.js';
import { packageRoot } from './package-root.js';

export interface Family {
  name: 'bert' | 'gpt2' | 't5' | 'bart';
  /** add the family's special tokens ([CLS] ... [SEP], <s> ... </s>) when encoding a text for this objective */
  addSpecialTokens: boolean;
}

const families: Record<Family['name'], Family> = {
  bert: { name: 'bert', addSpecialTokens: true },
  gpt2: { name: 'gpt2', addSpecialTokens: false },
  t5: { name: 't5', addSpecialTokens: false },
  bart: { name: 'bart', addSpecialTokens: true },
};

/** Which family's tokenizer conventions an objective follows by default (data, not behaviour). */
const familyOfObjective: Record<ObjectiveId, Family['name']> = {
  mlm: 'bert',
  nsp: 'bert',
  sop: 'bert',
  electra: 'bert',
  simcse: 'bert',
  clm: 'gpt2',
  'span-corruption': 't5',
  'prefix-lm': 't5',
  'bart-infilling': 'bart',
};

export function familyOf(id: ObjectiveId): Family {
  return families[familyOfObjective[id]];
}

/** Path of the shipped tokenizer for a family. */
export function defaultTokenizerPath(family: Family['name']): string {
  return join(packageRoot(), 'assets', 'tokenizers', `brown-${family}.json`);
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
      throw new PretextError(`the built-in ${name} tokenizer is missing (assets/tokenizers/brown-${name}.json); reinstall pretext`);
    }
    tok = loadTokenizer(json);
    cache.set(name, tok);
  }
  return tok;
}
