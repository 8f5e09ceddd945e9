// Character classes and alignment-tracking Unicode transforms shared by normalizers and pre-tokenizers.
// Classes follow Rust's char methods as used by huggingface/tokenizers.
import type { Change, NormalizedString } from './normalized-string.js';

const WS = /^\p{White_Space}$/u;
const PUNCT = /^\p{P}$/u;
const OTHER = /^\p{C}$/u;
const MN = /^\p{Mn}$/u;
const NUMERIC = /^\p{N}$/u;

/** Rust char::is_whitespace (Unicode White_Space). */
export function isWhitespace(cp: number): boolean {
  if (cp < 128) return cp === 32 || (cp >= 9 && cp <= 13);
  return WS.test(String.fromCodePoint(cp));
}

/** BERT punctuation: any ASCII punctuation or Unicode P*. */
export function isBertPunctuation(cp: number): boolean {
  if (cp < 128) return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
  return PUNCT.test(String.fromCodePoint(cp));
}

/** Cc, Cf, Cn, Co (and Cs) except \t \n \r: removed by BertNormalizer's clean_text. */
export function isControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  if (cp < 128) return cp < 32 || cp === 127;
  return OTHER.test(String.fromCodePoint(cp));
}

export function isNonspacingMark(cp: number): boolean {
  return cp >= 0x300 && MN.test(String.fromCodePoint(cp));
}

export function isNumeric(cp: number): boolean {
  if (cp < 128) return cp >= 48 && cp <= 57;
  return NUMERIC.test(String.fromCodePoint(cp));
}

/** The CJK Unified Ideograph blocks BERT pads with spaces. */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
export const isAscii = (s: string): boolean => ASCII.test(s);

/** Per-code-point lowercase (Rust char::to_lowercase: no context, so no final-sigma rule). */
export function lowercase(ns: NormalizedString): void {
  if (isAscii(ns.text)) {
    ns.setSameLayout(ns.text.toLowerCase());
    return;
  }
  perChar(ns, (c) => c.toLowerCase());
}

/** Map every char through f (non-empty output); first output char replaces, the rest are insertions. */
export function perChar(ns: NormalizedString, f: (c: string) => string): void {
  const t: Change = { chars: [], changes: [] };
  let changed = false;
  for (const c of ns.text) {
    const out = f(c);
    if (out !== c) changed = true;
    let k = 0;
    for (const o of out) {
      t.chars.push(o);
      t.changes.push(k++ === 0 ? 0 : 1);
    }
  }
  if (changed) ns.transform(t);
}

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

// A char that may join the previous segment under (de)composition: marks and Hangul medial/final jamo.
const JOINER = /^[\p{M}\u1160-\u11ff\ud7b0-\ud7ff\u3099\u309a]$/u;

/**
 * Unicode normalization with alignments. Segments (a starter and its marks) are normalized as units:
 * k chars -> m chars gives [0, 1, 1..] when m >= k (the extra chars are insertions) and [-(k-m), 0..]
 * when m < k (a composed char aligns with its first source char), as unicode-normalization-alignments does.
 */
export function normalizeUnicode(ns: NormalizedString, form: UnicodeForm): void {
  const text = ns.text;
  if (isAscii(text)) return;
  const full = text.normalize(form);
  if (full === text) return;
  const segs: string[] = [];
  for (const c of text) {
    if (segs.length > 0 && JOINER.test(c)) segs[segs.length - 1] += c;
    else segs.push(c);
  }
  const outs = segs.map((s) => s.normalize(form));
  const t: Change = { chars: [], changes: [] };
  if (outs.join('') !== full) {
    pushSegment(t, [...text].length, full);
  } else {
    for (let i = 0; i < segs.length; i++) pushSegment(t, [...segs[i]].length, outs[i], segs[i]);
  }
  ns.transform(t);
}

function pushSegment(t: Change, k: number, out: string, src?: string): void {
  const chars = [...out];
  const m = chars.length;
  if (src !== undefined && src === out) {
    for (const c of chars) {
      t.chars.push(c);
      t.changes.push(0);
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    t.chars.push(chars[i]);
    if (m >= k) t.changes.push(i < k ? 0 : 1);
    else t.changes.push(i === 0 ? -(k - m) : 0);
  }
}
