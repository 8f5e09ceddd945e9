// Pre-tokenizers of tokenizer.json (HF tokenizers/src/pre_tokenizers): cut splits into words.
import { PretextError } from '../errors.js';
import { type Json, asObject, typeOf, getBool, getArray, getChar, getStr } from './json-fields.js';
import type { NormalizedString } from './normalized-string.js';
import { BEHAVIORS, patternFromJSON, splitNormalized, type SplitBehavior } from './pattern.js';
import { GPT2_REGEX, byteLevelTransform } from './byte-level.js';
import { isBertPunctuation, isNumeric, isWhitespace } from './unicode.js';

/** Tokens already assigned to a split (added tokens), offsets local to the split's normalized text. */
export interface TokenRun {
  ids: number[];
  tokens: string[];
  starts: number[];
  ends: number[];
}

export interface Split {
  ns: NormalizedString;
  run: TokenRun | null;
}

/** Replace every untokenized split by fn's pieces, dropping empty ones (HF PreTokenizedString::split). */
export function splitEach(splits: Split[], fn: (ns: NormalizedString) => NormalizedString[]): Split[] {
  const out: Split[] = [];
  for (const s of splits) {
    if (s.run !== null) {
      out.push(s);
      continue;
    }
    for (const ns of fn(s.ns)) if (ns.length > 0) out.push({ ns, run: null });
  }
  return out;
}

export interface PreTokenizer {
  preTokenize(splits: Split[]): Split[];
}

const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const WHITESPACE_RE = new RegExp(`[${WORD}]+|[^${WORD}\\p{White_Space}]+`, 'gu');

export function preTokenizerFromJSON(cfg: unknown, where = 'pre_tokenizer'): PreTokenizer {
  const type = typeOf(cfg, where);
  const o = asObject(cfg, where);
  const at = `${where} ${type}`;
  const each = (fn: (ns: NormalizedString) => NormalizedString[]): PreTokenizer => ({
    preTokenize: (s) => splitEach(s, fn),
  });
  switch (type) {
    case 'BertPreTokenizer':
      return each(bertSplit);
    case 'Whitespace':
      return each((ns) => splitNormalized(ns, WHITESPACE_RE, 'Removed', true));
    case 'WhitespaceSplit':
      return each((ns) => splitNormalized(ns, isWhitespace, 'Removed'));
    case 'Punctuation': {
      const b = behavior(o, at, 'Isolated');
      return each((ns) => splitNormalized(ns, isBertPunctuation, b));
    }
    case 'Digits': {
      const individual = getBool(o, 'individual_digits', at, false);
      return each((ns) => splitNormalized(ns, isNumeric, individual ? 'Isolated' : 'Contiguous'));
    }
    case 'CharDelimiterSplit': {
      const d = getChar(o, 'delimiter', at).codePointAt(0)!;
      return each((ns) => splitNormalized(ns, (cp) => cp === d, 'Removed'));
    }
    case 'Split': {
      const re = patternFromJSON(o.pattern, at);
      const b = behavior(o, at);
      const invert = getBool(o, 'invert', at, false);
      return each((ns) => splitNormalized(ns, re, b, invert));
    }
    case 'ByteLevel':
      return byteLevelPreTokenizer(getBool(o, 'add_prefix_space', at, true), getBool(o, 'use_regex', at, true));
    case 'Metaspace':
      return metaspace(o, at);
    case 'Sequence': {
      const parts = getArray(o, 'pretokenizers', at).map((c, i) => preTokenizerFromJSON(c, `${at}[${i}]`));
      return { preTokenize: (s) => parts.reduce((acc, p) => p.preTokenize(acc), s) };
    }
    default:
      throw new PretextError(`unsupported ${where} type "${type}"`);
  }
}

function behavior(o: Json, at: string, dflt?: SplitBehavior): SplitBehavior {
  const b = getStr(o, 'behavior', at, dflt);
  if (!(BEHAVIORS as readonly string[]).includes(b)) throw new PretextError(`${at}: unknown split behavior "${b}"`);
  return b as SplitBehavior;
}

/** BertPreTokenizer in one pass: whitespace removed, each punctuation char isolated. */
export function bertSplit(ns: NormalizedString): NormalizedString[] {
  const t = ns.text;
  const out: NormalizedString[] = [];
  let start = 0;
  for (let i = 0; i < t.length; ) {
    const cp = t.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    const ws = isWhitespace(cp);
    if (ws || isBertPunctuation(cp)) {
      if (i > start) out.push(ns.slice(start, i));
      if (!ws) out.push(ns.slice(i, i + n));
      start = i + n;
    }
    i += n;
  }
  if (t.length > start) out.push(ns.slice(start, t.length));
  return out;
}

export function byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): PreTokenizer {
  return {
    preTokenize(splits) {
      const out = splitEach(splits, (ns) => {
        if (addPrefixSpace && !ns.text.startsWith(' ')) ns.prepend(' ');
        return useRegex ? splitNormalized(ns, GPT2_REGEX, 'Isolated') : [ns];
      });
      for (const s of out) if (s.run === null) byteLevelTransform(s.ns);
      return out;
    },
  };
}

function metaspace(o: Json, at: string): PreTokenizer {
  const rep = getChar(o, 'replacement', at, '\u2581');
  const scheme = prependScheme(o, at);
  const split = getBool(o, 'split', at, true);
  const repCp = rep.codePointAt(0)!;
  return {
    preTokenize: (splits) =>
      splitEach(splits, (ns) => {
        const spaces: [number, number][] = [];
        for (let i = ns.text.indexOf(' '); i >= 0; i = ns.text.indexOf(' ', i + 1)) spaces.push([i, i + 1]);
        if (spaces.length > 0) ns.replace(spaces, rep);
        const prepend = scheme === 'always' || (scheme === 'first' && ns.originalStart() === 0);
        if (prepend && !ns.text.startsWith(rep)) ns.prepend(rep);
        return split ? splitNormalized(ns, (cp) => cp === repCp, 'MergedWithNext') : [ns];
      }),
  };
}

/** Metaspace prepend_scheme, reading the legacy add_prefix_space when absent. */
export function prependScheme(o: Json, at: string): 'always' | 'first' | 'never' {
  if (o.prepend_scheme === undefined || o.prepend_scheme === null)
    return getBool(o, 'add_prefix_space', at, true) ? 'always' : 'never';
  const s = getStr(o, 'prepend_scheme', at);
  if (s !== 'always' && s !== 'first' && s !== 'never') throw new PretextError(`${at}: unknown prepend_scheme "${s}"`);
  return s;
}
