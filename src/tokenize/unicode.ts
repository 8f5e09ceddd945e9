// Character classes and alignment-tracking Unicode transforms shared by normalizers and pre-tokenizers.
// Classes follow Rust's char methods as used by huggingface/tokenizers.
import type { Change, NormalizedString } from './normalized-string.js';

const WS = /^\p{White_Space}$/u;
const PUNCT = /^\p{P}$/u;
const OTHER = /^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u; // not Cn: HF's table leaves unassigned chars alone
const MN = /^\p{Mn}$/u;
const MARK = /^\p{M}$/u;
const NUMERIC = /^\p{N}$/u;

/** Rust char::is_whitespace (Unicode White_Space). */
export function isWhitespace(cp: number): boolean {
  if (cp < 128) return cp === 32 || (cp >= 9 && cp <= 13);
  return WS.test(String.fromCodePoint(cp));
}

/** BERT punctuation: any ASCII punctuation or Unicode P*. */
export function isBertPunctuation(cp: number): boolean {
  if (cp < 128)
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
  return PUNCT.test(String.fromCodePoint(cp));
}

/** Cc, Cf, Co (and Cs) except \t \n \r: removed by BertNormalizer's clean_text. */
export function isControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  if (cp < 128) return cp < 32 || cp === 127;
  return OTHER.test(String.fromCodePoint(cp));
}

/** Mn only: BertNormalizer's strip_accents (HF is_nonspacing_mark). */
export function isNonspacingMark(cp: number): boolean {
  return cp >= 0x300 && MN.test(String.fromCodePoint(cp));
}

/** Mn, Mc or Me: the StripAccents normalizer (HF is_combining_mark), e.g. Devanagari vowel signs, U+20E3 keycap. */
export function isCombiningMark(cp: number): boolean {
  return cp >= 0x300 && MARK.test(String.fromCodePoint(cp));
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
const JOINER = /^[\p{M}\u1160-\u11ff\ud7b0-\ud7ff]$/u;

type Tracked = [string, number];

/**
 * Unicode normalization with alignments, as unicode-normalization-alignments: each char decomposes into
 * [first, 0], [rest, 1]..; canonical reordering moves entries with their changes; composition folds the
 * absorbed entries into the starter (change = starter's + sum(absorbed - 1)). Sequences this cannot follow
 * fall back to whole segments (a starter and its marks) aligned by length.
 */
export function normalizeUnicode(ns: NormalizedString, form: UnicodeForm): void {
  const text = ns.text;
  if (isAscii(text)) return;
  const full = text.normalize(form);
  if (full === text) return;
  const compat = form === 'NFKC' || form === 'NFKD';
  const decomposed: Tracked[] = [];
  for (const c of text) {
    let k = 0;
    for (const d of c.normalize(compat ? 'NFKD' : 'NFD')) decomposed.push([d, k++ === 0 ? 0 : 1]);
  }
  const ordered = reorder(decomposed, [...text.normalize(compat ? 'NFKD' : 'NFD')]);
  const out = ordered && (form === 'NFC' || form === 'NFKC' ? compose(ordered, [...full]) : ordered);
  if (out) ns.transform({ chars: out.map((x) => x[0]), changes: out.map((x) => x[1]) });
  else ns.transform(bySegments(text, form, full));
}

/** Permute entries (stably) into the canonical order `target`; null if they are not its chars. */
function reorder(entries: Tracked[], target: string[]): Tracked[] | null {
  if (entries.length !== target.length) return null;
  if (entries.every((e, i) => e[0] === target[i])) return entries;
  const used = new Uint8Array(entries.length);
  const out: Tracked[] = [];
  for (const c of target) {
    let j = 0;
    while (j < entries.length && (used[j] || entries[j][0] !== c)) j++;
    if (j === entries.length) return null;
    used[j] = 1;
    out.push(entries[j]);
  }
  return out;
}

/** Fold runs of decomposed entries into the composed chars of `target`; null when a run is not contiguous. */
function compose(entries: Tracked[], target: string[]): Tracked[] | null {
  const out: Tracked[] = [];
  let i = 0;
  for (const o of target) {
    if (i >= entries.length) return null;
    let acc = entries[i][0];
    let change = entries[i][1];
    i++;
    while (acc.normalize('NFC') !== o) {
      if (i >= entries.length) return null;
      acc += entries[i][0];
      change += entries[i][1] - 1;
      i++;
    }
    out.push([o, change]);
  }
  return i === entries.length ? out : null;
}

/** Segment fallback: k chars -> m chars as [0 x min(k, m), 1..] or [-(k - m), 0..]. */
function bySegments(text: string, form: UnicodeForm, full: string): Change {
  const segs: string[] = [];
  for (const c of text) {
    if (segs.length > 0 && JOINER.test(c)) segs[segs.length - 1] += c;
    else segs.push(c);
  }
  let outs = segs.map((s) => s.normalize(form));
  let srcs = segs;
  if (outs.join('') !== full) {
    srcs = [text];
    outs = [full];
  }
  const t: Change = { chars: [], changes: [] };
  srcs.forEach((src, n) => {
    const k = [...src].length;
    const chars = [...outs[n]];
    chars.forEach((c, i) => {
      t.chars.push(c);
      t.changes.push(src === outs[n] ? 0 : chars.length >= k ? (i < k ? 0 : 1) : i === 0 ? -(k - chars.length) : 0);
    });
  });
  return t;
}
