// Normalizers of tokenizer.json (HF tokenizers/src/normalizers): each edits a NormalizedString in place.
import { PretextError } from '../errors.js';
import { asObject, typeOf, getBool, getStr, getArray } from './json-fields.js';
import type { NormalizedString } from './normalized-string.js';
import { findMatches, patternFromJSON } from './pattern.js';
import { precompiledNormalizer } from './precompiled.js';
import { byteLevelTransform } from './byte-level.js';
import {
  isAscii,
  isChineseChar,
  isCombiningMark,
  isControl,
  isNonspacingMark,
  isWhitespace,
  lowercase,
  normalizeUnicode,
  perChar,
  type UnicodeForm,
} from './unicode.js';

export interface Normalizer {
  normalize(ns: NormalizedString): void;
}

/** The normalizer described by a tokenizer.json "normalizer" object. */
export function normalizerFromJSON(cfg: unknown, where = 'normalizer'): Normalizer {
  const type = typeOf(cfg, where);
  const o = asObject(cfg, where);
  const at = `${where} ${type}`;
  switch (type) {
    case 'BertNormalizer':
      return bertNormalizer(
        getBool(o, 'clean_text', at, true),
        getBool(o, 'handle_chinese_chars', at, true),
        o.strip_accents === null || o.strip_accents === undefined ? null : getBool(o, 'strip_accents', at, false),
        getBool(o, 'lowercase', at, true),
      );
    case 'Lowercase':
      return { normalize: lowercase };
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return { normalize: (ns) => normalizeUnicode(ns, type as UnicodeForm) };
    case 'StripAccents':
      return { normalize: (ns) => ns.filter((cp) => !isCombiningMark(cp)) };
    case 'Strip': {
      const left = getBool(o, 'strip_left', at, true);
      const right = getBool(o, 'strip_right', at, true);
      return { normalize: (ns) => ns.strip(left, right, isWhitespace) };
    }
    case 'Replace': {
      const re = patternFromJSON(o.pattern, at);
      const content = getStr(o, 'content', at);
      return { normalize: (ns) => replaceAll(ns, re, content) };
    }
    case 'Prepend': {
      const p = getStr(o, 'prepend', at);
      return { normalize: (ns) => ns.prepend(p) };
    }
    case 'Nmt':
      return { normalize: nmt };
    case 'Precompiled':
      return precompiledNormalizer(o, at);
    case 'ByteLevel':
      return { normalize: byteLevelTransform };
    case 'Sequence': {
      const parts = getArray(o, 'normalizers', at).map((c, i) => normalizerFromJSON(c, `${at}[${i}]`));
      return {
        normalize: (ns) => {
          for (const p of parts) p.normalize(ns);
        },
      };
    }
    default:
      throw new PretextError(`unsupported ${where} type "${type}"`);
  }
}

function replaceAll(ns: NormalizedString, re: RegExp, content: string): void {
  const m = findMatches(ns.text, re)
    .filter((x) => x[2])
    .map(([a, b]) => [a, b] as [number, number]);
  if (m.length > 0) ns.replace(m, content);
}

/** BertNormalizer: clean text, space out CJK ideographs, strip accents (default: as lowercase), lowercase. */
export function bertNormalizer(
  cleanText: boolean,
  chinese: boolean,
  stripAccents: boolean | null,
  lower: boolean,
): Normalizer {
  const strip = stripAccents ?? lower;
  return {
    normalize(ns) {
      const ascii = isAscii(ns.text);
      if (cleanText) {
        // eslint-disable-next-line no-control-regex
        if (!ascii || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(ns.text))
          ns.filter((cp) => !(cp === 0 || cp === 0xfffd || isControl(cp)));
        if (/[^\S ]/u.test(ns.text) || !ascii) mapWhitespace(ns);
      }
      if (chinese && !ascii) cjkSpaces(ns);
      if (strip && !isAscii(ns.text)) {
        normalizeUnicode(ns, 'NFD');
        ns.filter((cp) => !isNonspacingMark(cp));
      }
      if (lower) lowercase(ns);
    },
  };
}

function mapWhitespace(ns: NormalizedString): void {
  // Every White_Space char is in the BMP: mapping to ' ' keeps the UTF-16 layout.
  let out = '';
  let changed = false;
  for (let i = 0; i < ns.text.length; i++) {
    const c = ns.text.charCodeAt(i);
    if (c !== 32 && c < 0xd800 && isWhitespace(c)) {
      out += ' ';
      changed = true;
    } else out += ns.text[i];
  }
  if (changed) ns.setSameLayout(out);
}

function cjkSpaces(ns: NormalizedString): void {
  let any = false;
  for (const c of ns.text)
    if (isChineseChar(c.codePointAt(0)!)) {
      any = true;
      break;
    }
  if (!any) return;
  const chars: string[] = [];
  const changes: number[] = [];
  for (const c of ns.text) {
    if (isChineseChar(c.codePointAt(0)!)) {
      chars.push(' ', c, ' ');
      changes.push(0, 1, 1);
    } else {
      chars.push(c);
      changes.push(0);
    }
  }
  ns.transform({ chars, changes });
}

const NMT_REMOVE = (cp: number): boolean =>
  (cp >= 1 && cp <= 8) || cp === 0x0b || (cp >= 0x0e && cp <= 0x1f) || cp === 0x7f || cp === 0x8f || cp === 0x9f;
const NMT_SPACE = (cp: number): boolean =>
  cp === 9 ||
  cp === 10 ||
  cp === 12 ||
  cp === 13 ||
  cp === 0x1680 ||
  (cp >= 0x200b && cp <= 0x200f) ||
  cp === 0x2028 ||
  cp === 0x2029 ||
  cp === 0x2581 ||
  cp === 0xfeff ||
  cp === 0xfffd;

function nmt(ns: NormalizedString): void {
  ns.filter((cp) => !NMT_REMOVE(cp));
  perChar(ns, (c) => (NMT_SPACE(c.codePointAt(0)!) ? ' ' : c));
}
