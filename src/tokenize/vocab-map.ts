// Reading and reversing {token: id} vocabularies.
import { PretextError } from '../errors.js';
import { asObject } from './json-fields.js';

/** Token -> id map of a {token: id} vocab object, validated. */
export function readVocab(v: unknown, where: string): Map<string, number> {
  const o = asObject(v, `${where} vocab`);
  const m = new Map<string, number>();
  for (const [k, id] of Object.entries(o)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0)
      throw new PretextError(`${where} vocab: id of ${JSON.stringify(k)} must be a non-negative integer`);
    m.set(k, id);
  }
  return m;
}

export function reverseVocab(vocab: Map<string, number>): { byId: Map<number, string>; maxId: number } {
  const byId = new Map<number, string>();
  let maxId = -1;
  for (const [t, id] of vocab) {
    byId.set(id, t);
    if (id > maxId) maxId = id;
  }
  return { byId, maxId };
}
