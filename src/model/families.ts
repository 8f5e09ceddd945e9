// The model-family registry: explicit imports, one line each. Objectives name a family; the trainer looks it up here.
import { PretextError } from '../errors.js';
import { bertFamily } from './bert-family.js';
import { electraFamily } from './electra-family.js';
import type { ModelFamily } from './family.js';
import { gpt2Family } from './gpt2-family.js';
import { robertaPreLayerNormFamily } from './preln-family.js';
import { simcseFamily } from './simcse-family.js';
import { t5Family } from './t5-family.js';

export const modelFamilies: Readonly<Record<string, ModelFamily>> = {
  bert: bertFamily,
  gpt2: gpt2Family,
  electra: electraFamily,
  simcse: simcseFamily,
  t5: t5Family,
  'roberta-prelayernorm': robertaPreLayerNormFamily,
};

/** The family named `name`; an unknown name is a one-line PretextError. */
export function modelFamily(name: string): ModelFamily {
  const f = Object.hasOwn(modelFamilies, name) ? modelFamilies[name] : undefined;
  if (!f) throw new PretextError(`no model family '${name}' (families: ${Object.keys(modelFamilies).join(', ')})`);
  return f;
}
