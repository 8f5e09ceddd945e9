// GPT-2 byte-level alphabet: every byte as a printable char (openai/gpt-2 encoder.py bytes_to_unicode).
// e.g. ' ' (0x20) -> 'Ġ' (U+0120), '\n' -> 'Ċ'.
import type { NormalizedString } from './normalized-string.js';

/** BYTE_TO_CHAR[b]: the char standing for byte b. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const keep = (b: number): boolean => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(keep(b) ? b : 256 + n++);
  return out;
})();

export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/** The 256 byte chars sorted by code point (HF ByteLevel.alphabet(), as the trainer orders it). */
export function byteAlphabet(): string[] {
  return [...BYTE_TO_CHAR].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
}

/** GPT-2 split regex (HF pre_tokenizers/byte_level.rs), with \s as Unicode White_Space. */
export const GPT2_REGEX =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

const encoder = new TextEncoder();
const ASCII_MAP: string[] = BYTE_TO_CHAR.slice(0, 128);
// eslint-disable-next-line no-control-regex
const ASCII_CHANGED = /[\x00-\x20\x7f]/g;

/** Replace every char of ns by the chars of its UTF-8 bytes; extra bytes are insertions. */
export function byteLevelTransform(ns: NormalizedString): void {
  const text = ns.text;
  let ascii = true;
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  if (ascii) {
    // Printable ASCII but space maps to itself: only space and controls change, one char each.
    ns.setSameLayout(text.replace(ASCII_CHANGED, (c) => ASCII_MAP[c.charCodeAt(0)]));
    return;
  }
  const chars: string[] = [];
  const changes: number[] = [];
  for (const c of text) {
    const bytes = encoder.encode(c);
    for (let i = 0; i < bytes.length; i++) {
      chars.push(BYTE_TO_CHAR[bytes[i]]);
      changes.push(i > 0 ? 1 : 0);
    }
  }
  ns.transform({ chars, changes });
}

/** Byte chars back to text; a token with a non-byte char is taken as its own UTF-8 (HF ByteLevel decoder). */
export function byteLevelDecode(tokens: string[]): string {
  const bytes: number[] = [];
  for (const t of tokens) {
    const start = bytes.length;
    let ok = true;
    for (const c of t) {
      const b = CHAR_TO_BYTE.get(c);
      if (b === undefined) {
        ok = false;
        break;
      }
      bytes.push(b);
    }
    if (!ok) {
      bytes.length = start;
      for (const b of encoder.encode(t)) bytes.push(b);
    }
  }
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(new Uint8Array(bytes)); // a leading U+FEFF is text
}
