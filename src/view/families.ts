// Which built-in tokenizer family an objective follows by default, and whether its texts get the family's special
// tokens ([CLS] ... [SEP], <s> ... </s>). Data, not behaviour; the CLI and the playground load the tokenizer files.
import type { ObjectiveId } from '../objectives/objective.js';

export interface Family {
  name: 'bert' | 'gpt2' | 't5' | 'bart';
  /** add the family's special tokens when encoding a text for this objective */
  addSpecialTokens: boolean;
}

const families: Record<Family['name'], Family> = {
  bert: { name: 'bert', addSpecialTokens: true },
  gpt2: { name: 'gpt2', addSpecialTokens: false },
  t5: { name: 't5', addSpecialTokens: false },
  bart: { name: 'bart', addSpecialTokens: true },
};

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
  spanbert: 'bert',
  ul2: 't5',
};

export function familyOf(id: ObjectiveId): Family {
  return families[familyOfObjective[id]];
}

/** File name of the shipped tokenizer of a family, under assets/tokenizers/. */
export function tokenizerFileOf(family: Family['name']): string {
  return `brown-${family}.json`;
}
