// Split patterns (HF tokenizer/pattern.rs): find matches covering a whole string, and split behaviours.
import { PretextError } from '../errors.js';
import type { NormalizedString } from './normalized-string.js';

/** [start, end, isMatch] pieces covering the whole string, in UTF-16 units. */
export type Matches = [number, number, boolean][];

export type Pattern = RegExp | ((cp: number) => boolean);

/** HF SplitPattern JSON ({String} or {Regex}) as a global unicode RegExp. */
export function patternFromJSON(p: unknown, where: string): RegExp {
  const o = p as { String?: unknown; Regex?: unknown } | null;
  if (o && typeof o.String === 'string') return new RegExp(o.String === '' ? '(?!)' : escapeRegExp(o.String), 'gu');
  if (o && typeof o.Regex === 'string') return compileOnigRegex(o.Regex, where);
  throw new PretextError(`${where}: pattern must be {"String": ...} or {"Regex": ...}`);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compile an Oniguruma pattern (HF uses onig) as a JS regex. Handles the common gaps:
 * scoped case-insensitive groups `(?i:...)` of literals and possessive quantifiers (read as greedy).
 */
export function compileOnigRegex(src: string, where: string): RegExp {
  const s = dropPossessive(src.replace(/\(\?i:([^()]*)\)/g, (_, body: string) => `(?:${caseless(body)})`));
  try {
    return new RegExp(s, 'gu');
  } catch (e) {
    throw new PretextError(`${where}: unsupported regex ${JSON.stringify(src)} (${(e as Error).message})`);
  }
}

/** Letters outside escapes and classes as [xX]. */
function caseless(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      out += c + (body[i + 1] ?? '');
      i++;
    } else out += /[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
  }
  return out;
}

/** `x*+`, `x++`, `x?+`, `x{n,m}+` -> greedy forms, skipping escapes, \p{..} and classes. */
function dropPossessive(re: string): string {
  let out = '';
  let inClass = false;
  let quantEnd = false; // the last char written ends a quantifier
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      const m = /^\\[pP]\{[^}]*\}/.exec(re.slice(i));
      const esc = m ? m[0] : re.slice(i, i + 2);
      out += esc;
      i += esc.length - 1;
      quantEnd = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '+' && quantEnd) {
      quantEnd = false;
      continue;
    }
    if (c === '[') inClass = true;
    const closesBrace = c === '}' && /\{\d+(,\d*)?$/.test(out);
    quantEnd = c === '*' || c === '+' || c === '?' || closesBrace;
    out += c;
  }
  return out;
}

/** All pieces of s, matches and gaps, in order (HF Pattern::find_matches). */
export function findMatches(s: string, p: Pattern): Matches {
  if (s.length === 0) return [[0, 0, false]];
  const out: Matches = [];
  let prev = 0;
  if (typeof p === 'function') {
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      if (p(cp)) {
        if (prev !== i) out.push([prev, i, false]);
        out.push([i, i + n, true]);
        prev = i + n;
      }
      i += n;
    }
  } else {
    p.lastIndex = 0;
    for (const m of s.matchAll(p)) {
      const a = m.index!;
      const b = a + m[0].length;
      if (prev !== a) out.push([prev, a, false]);
      out.push([a, b, true]);
      prev = b;
    }
  }
  if (prev !== s.length) out.push([prev, s.length, false]);
  return out;
}

export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

export const BEHAVIORS: readonly SplitBehavior[] = [
  'Removed',
  'Isolated',
  'MergedWithPrevious',
  'MergedWithNext',
  'Contiguous',
];

/** HF NormalizedString::split: pieces of ns cut at the matches of p, delimiters handled per behavior. */
export function splitNormalized(
  ns: NormalizedString,
  p: Pattern,
  behavior: SplitBehavior,
  invert = false,
): NormalizedString[] {
  let matches = findMatches(ns.text, p);
  if (invert) matches = matches.map(([a, b, m]) => [a, b, !m]);
  const kept = applyBehavior(matches, behavior);
  const out: NormalizedString[] = [];
  for (const [a, b, remove] of kept) if (!remove) out.push(ns.slice(a, b));
  return out;
}

function applyBehavior(matches: Matches, behavior: SplitBehavior): Matches {
  switch (behavior) {
    case 'Isolated':
      return matches.map(([a, b]) => [a, b, false]);
    case 'Removed':
      return matches;
    case 'Contiguous': {
      const acc: Matches = [];
      let prevMatch = false;
      for (const [a, b, m] of matches) {
        if (m === prevMatch && acc.length > 0) acc[acc.length - 1][1] = b;
        else acc.push([a, b, false]);
        prevMatch = m;
      }
      return acc;
    }
    case 'MergedWithPrevious': {
      const acc: Matches = [];
      let prevMatch = false;
      for (const [a, b, m] of matches) {
        if (m && !prevMatch && acc.length > 0) acc[acc.length - 1][1] = b;
        else acc.push([a, b, false]);
        prevMatch = m;
      }
      return acc;
    }
    case 'MergedWithNext': {
      const acc: Matches = [];
      let prevMatch = false;
      for (let i = matches.length - 1; i >= 0; i--) {
        const [a, b, m] = matches[i];
        if (m && !prevMatch && acc.length > 0) acc[acc.length - 1][0] = a;
        else acc.push([a, b, false]);
        prevMatch = m;
      }
      return acc.reverse();
    }
  }
}
