// Objective options as CLI flags (camelCase key <-> kebab-case flag), and the vocabulary flags shared by commands.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { PretextError } from '../src/errors.js';
import type { Objective } from '../src/objectives/objective.js';
import { objectives, objectiveIds } from '../src/objectives/index.js';
import { normalizeVocab, type VocabInfo } from '../src/tokenize/vocab.js';
import { loadTokenizer, type Tokenizer } from '../src/tokenize/index.js';
import { kebab, scanFlag, suggestion, type FlagSpec, type ParsedArgs } from './args.js';

export function objectiveFlag(def?: string): FlagSpec {
  return { name: 'objective', type: 'string', default: def, help: 'objective id', choices: objectiveIds };
}

/** --seed and --epoch, as show and transform take them. */
export const seedFlags: FlagSpec[] = [
  { name: 'seed', type: 'int', default: 0, min: 0, help: 'random seed (0 is a real seed)' },
  { name: 'epoch', type: 'int', default: 0, min: 0, help: 'epoch: dynamic masking draws anew each epoch' },
];

/** The objective named by --objective (scanned before the full parse, since its options become flags). */
export function findObjective(argv: readonly string[], fallback?: string): Objective {
  const id = scanFlag(argv, 'objective') ?? fallback;
  if (id === undefined) throw new PretextError(`--objective is required (one of ${objectiveIds.join(', ')})`);
  const o = objectives.find((x) => x.id === id);
  if (!o)
    throw new PretextError(
      `unknown objective '${id}'${suggestion(id, objectiveIds)} (one of ${objectiveIds.join(', ')})`,
    );
  return o;
}

/**
 * Run `work` (resolving an objective's options, transforming rows) with its errors in the user's words: the
 * objective's option keys become the flags the user typed ("mlm: maskProb must be ..." -> "mlm: --mask-prob must be ...").
 */
export function inFlagWords<T>(o: Objective | undefined, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (!(e instanceof PretextError) || !o) throw e;
    const keys = new Set(o.options.map((s) => s.key));
    const message = e.message
      .replace(/option '([A-Za-z0-9]+)'/g, (m, key: string) => (keys.has(key) ? `--${kebab(key)}` : m))
      .replace(/\b[a-z]+[A-Z][A-Za-z0-9]*\b/g, (word) => (keys.has(word) ? `--${kebab(word)}` : word));
    throw new PretextError(message);
  }
}

/** The objective's options from the flags the user gave, validated, errors naming flags. */
export function resolveFromFlags(o: Objective, args: ParsedArgs): unknown {
  return inFlagWords(o, () => o.resolve(optionValues(o, args)));
}

/** The objective's options as flags. */
export function optionFlags(o: Objective): FlagSpec[] {
  return o.options.map((s) => ({
    name: kebab(s.key),
    type: s.type,
    default: s.default,
    help: s.help,
    choices: s.choices,
  }));
}

/** Objective options the user gave, as a camelCase partial (defaults come from the objective's own resolve). */
export function optionValues(o: Objective, args: ParsedArgs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of o.options) {
    const flag = kebab(s.key);
    if (args.given.has(flag)) out[s.key] = args.flags[flag];
  }
  return out;
}

export const vocabFlags: FlagSpec[] = [
  { name: 'tokenizer', type: 'string', help: 'HF tokenizer.json giving the vocabulary size and special ids' },
  { name: 'vocab-size', type: 'int', min: 1, help: 'vocabulary size (overrides the tokenizer)' },
  { name: 'pad-id', type: 'int', help: 'padding id' },
  { name: 'unk-id', type: 'int', help: 'unknown-token id' },
  { name: 'cls-id', type: 'int', help: '[CLS] id' },
  { name: 'sep-id', type: 'int', help: '[SEP] id' },
  { name: 'mask-id', type: 'int', help: '[MASK] id' },
  { name: 'bos-id', type: 'int', help: 'beginning-of-sequence id' },
  { name: 'eos-id', type: 'int', help: 'end-of-sequence id' },
  {
    name: 'special-ids',
    type: 'string',
    help: 'comma-separated ids that are special (never masked or drawn as random)',
  },
];

/** Read and parse a tokenizer.json, with one-line errors. */
export function readTokenizer(path: string): Tokenizer {
  if (!existsSync(path)) throw new PretextError(`no such file: ${path}`);
  if (statSync(path).isDirectory())
    throw new PretextError(`--tokenizer ${path} is a folder; give a tokenizer.json file`);
  try {
    return loadTokenizer(readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof PretextError) throw new PretextError(`${path}: ${e.message.replace(/^tokenizer\.json is /, '')}`);
    throw e;
  }
}

/** VocabInfo from --tokenizer and/or the id flags (flags win). */
export function vocabFromFlags(args: ParsedArgs): VocabInfo {
  const f = args.flags;
  const base: Partial<VocabInfo> = f.tokenizer ? readTokenizer(f.tokenizer as string).vocabInfo() : {};
  const pick = (flag: string, key: keyof VocabInfo) =>
    f[flag] !== undefined ? (f[flag] as number) : (base[key] as number | undefined);
  const vocabSize = pick('vocab-size', 'vocabSize');
  if (vocabSize === undefined)
    throw new PretextError('give --tokenizer tokenizer.json or --vocab-size with the special ids');
  let specialIds: number[] = [...(base.specialIds ?? [])];
  if (f['special-ids'] !== undefined) {
    const parts = String(f['special-ids'])
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    specialIds = parts.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw new PretextError(`--special-ids must be comma-separated integers, got '${s}'`);
      return n;
    });
  }
  const padId = pick('pad-id', 'padId') ?? 0;
  return normalizeVocab({
    vocabSize,
    padId,
    unkId: pick('unk-id', 'unkId'),
    clsId: pick('cls-id', 'clsId'),
    sepId: pick('sep-id', 'sepId'),
    maskId: pick('mask-id', 'maskId'),
    bosId: pick('bos-id', 'bosId'),
    eosId: pick('eos-id', 'eosId'),
    specialIds,
  });
}
