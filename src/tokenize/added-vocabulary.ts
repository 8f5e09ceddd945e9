// Added tokens (special or not) are cut out of the input before the model sees it
// (HF tokenizer/added_vocabulary.rs): first those matched on the raw text, then, after normalizing each
// remaining piece, those matched on the normalized text. Matching is leftmost-longest.
import { PretextError } from '../errors.js';
import { asObject, getBool, getInt, getStr } from './json-fields.js';
import { NormalizedString } from './normalized-string.js';
import type { Normalizer } from './normalizers.js';
import { escapeRegExp } from './pattern.js';
import type { Split } from './pre-tokenizers.js';

export interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export function addedTokenFromJSON(x: unknown, i: number): AddedToken {
  const at = `added_tokens[${i}]`;
  const o = asObject(x, at);
  const special = getBool(o, 'special', at, false);
  return {
    id: getInt(o, 'id', at),
    content: getStr(o, 'content', at),
    singleWord: getBool(o, 'single_word', at, false),
    lstrip: getBool(o, 'lstrip', at, false),
    rstrip: getBool(o, 'rstrip', at, false),
    normalized: getBool(o, 'normalized', at, !special),
    special,
  };
}

export function addedTokenToJSON(t: AddedToken): object {
  return {
    id: t.id,
    content: t.content,
    single_word: t.singleWord,
    lstrip: t.lstrip,
    rstrip: t.rstrip,
    normalized: t.normalized,
    special: t.special,
  };
}

interface Matcher {
  re: RegExp;
  byText: Map<string, AddedToken>;
}

const WORD_END = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u;
const WORD_START = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const TRAILING_WS = /\p{White_Space}*$/u;
const LEADING_WS = /^\p{White_Space}*/u;

export class AddedVocabulary {
  readonly byContent = new Map<string, AddedToken>();
  readonly byId = new Map<number, AddedToken>();
  private readonly raw: Matcher | null;
  private readonly norm: Matcher | null;

  constructor(
    readonly tokens: AddedToken[],
    private readonly normalizer: Normalizer | null,
  ) {
    for (const t of tokens) {
      if (t.content === '') throw new PretextError(`added token ${t.id} is empty`);
      this.byContent.set(t.content, t);
      this.byId.set(t.id, t);
    }
    this.raw = matcher(
      tokens.filter((t) => !t.normalized),
      (s) => s,
    );
    this.norm = matcher(
      tokens.filter((t) => t.normalized),
      (s) => {
        const ns = NormalizedString.from(s);
        normalizer?.normalize(ns);
        return ns.text;
      },
    );
  }

  isSpecial(content: string): boolean {
    return this.byContent.get(content)?.special ?? false;
  }

  /** Splits of `text`: added tokens carry their run, the rest is normalized and left for the pre-tokenizer. */
  extractAndNormalize(text: string): Split[] {
    const whole = NormalizedString.from(text);
    const first = this.raw ? this.pieces(whole, this.raw) : [{ ns: whole, run: null }];
    const out: Split[] = [];
    for (const s of first) {
      if (s.ns.length === 0) continue;
      if (s.run !== null) {
        out.push(s);
        continue;
      }
      this.normalizer?.normalize(s.ns);
      const parts = this.norm ? this.pieces(s.ns, this.norm) : [s];
      for (const p of parts) if (p.ns.length > 0) out.push(p);
    }
    return out;
  }

  /** HF find_matches + split_with_indices: pieces covering ns, with single_word / lstrip / rstrip. */
  private pieces(ns: NormalizedString, m: Matcher): Split[] {
    const s = ns.text;
    const out: Split[] = [];
    let prev = 0;
    m.re.lastIndex = 0;
    for (const hit of s.matchAll(m.re)) {
      let start = hit.index!;
      let stop = start + hit[0].length;
      const t = m.byText.get(hit[0])!;
      if (t.singleWord) {
        const startOk = start === 0 || !WORD_END.test(s.slice(0, start));
        const stopOk = stop === s.length || !WORD_START.test(s.slice(stop));
        if (!startOk || !stopOk) continue;
      }
      if (t.lstrip) start = Math.max(TRAILING_WS.exec(s.slice(0, start))!.index, prev);
      if (t.rstrip) stop += LEADING_WS.exec(s.slice(stop))![0].length;
      if (prev < start) out.push({ ns: ns.slice(prev, start), run: null });
      const piece = ns.slice(start, stop);
      out.push({ ns: piece, run: { ids: [t.id], tokens: [piece.text], starts: [0], ends: [piece.length] } });
      prev = stop;
    }
    if (prev < s.length) out.push({ ns: ns.slice(prev, s.length), run: null });
    return out;
  }
}

function matcher(tokens: AddedToken[], key: (s: string) => string): Matcher | null {
  if (tokens.length === 0) return null;
  const byText = new Map<string, AddedToken>();
  for (const t of tokens) {
    const k = key(t.content);
    if (k !== '' && !byText.has(k)) byText.set(k, t);
  }
  if (byText.size === 0) return null;
  // Longest alternatives first: JS alternation is leftmost-first, this makes it leftmost-longest.
  const alts = [...byText.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return { re: new RegExp(alts.join('|'), 'gu'), byText };
}
