// SentencePiece "Precompiled" normalizer: a darts-clone double-array trie over UTF-8 keys whose values
// index a pool of NUL-terminated replacements (huggingface/spm_precompiled; tokenizers normalizers/precompiled.rs).
// Blob: u32le trie byte size, the trie units (u32le), then the replacement pool.
import { PretextError } from '../errors.js';
import { type Json, getStr } from './json-fields.js';
import type { NormalizedString } from './normalized-string.js';
import type { Normalizer } from './normalizers.js';

export class CharsMap {
  private readonly units: Uint32Array;
  private readonly pool: Uint8Array;
  private readonly cache = new Map<string, string | null>();

  constructor(blob: Uint8Array) {
    if (blob.length < 4) throw new Error('blob shorter than its header');
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize % 4 !== 0 || 4 + trieSize > blob.length || trieSize === 0)
      throw new Error(`bad trie size ${trieSize}`);
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.pool = blob.subarray(4 + trieSize);
    new TextDecoder('utf-8', { fatal: true }).decode(this.pool);
  }

  /** Replacement of the shortest key that prefixes `chunk`, or null (spm_precompiled transform). */
  transform(chunk: string): string | null {
    const hit = this.cache.get(chunk);
    if (hit !== undefined) return hit;
    const v = this.firstPrefixValue(new TextEncoder().encode(chunk));
    let out: string | null = null;
    if (v !== null && v < this.pool.length) {
      let end = v;
      while (end < this.pool.length && this.pool[end] !== 0) end++;
      out = new TextDecoder('utf-8', { ignoreBOM: true }).decode(this.pool.subarray(v, end));
    }
    this.cache.set(chunk, out);
    return out;
  }

  private firstPrefixValue(key: Uint8Array): number | null {
    const a = this.units;
    const at = (i: number): number => (i < a.length ? a[i] : 0);
    let pos = offset(at(0));
    for (const c of key) {
      if (c === 0) break;
      pos ^= c;
      const unit = at(pos);
      if ((unit & 0x800000ff) >>> 0 !== c) return null;
      pos ^= offset(unit);
      if ((unit >>> 8) & 1) return at(pos) & 0x7fffffff;
    }
    return null;
  }
}

function offset(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function precompiledNormalizer(o: Json, where: string): Normalizer {
  const b64 = getStr(o, 'precompiled_charsmap', where, '');
  if (b64 === '') return { normalize: () => {} };
  let map: CharsMap;
  try {
    map = new CharsMap(base64Decode(b64));
  } catch (e) {
    throw new PretextError(`${where}: cannot parse precompiled_charsmap (${(e as Error).message})`);
  }
  return { normalize: (ns) => applyCharsMap(ns, map) };
}

/** Graphemes under 6 UTF-8 bytes are looked up whole, else char by char (HF normalizers/precompiled.rs). */
export function applyCharsMap(ns: NormalizedString, map: CharsMap): void {
  const chars: string[] = [];
  const changes: number[] = [];
  let modified = false;
  // HF `replace`: new chars replace (0); the last `diff` are insertions (1) when longer; when shorter
  // the last char so far absorbs the removal (-n).
  const push = (part: string, norm: string): void => {
    const out = [...norm];
    const diff = out.length - [...part].length;
    for (const c of out) {
      chars.push(c);
      changes.push(0);
    }
    if (diff > 0) for (let k = changes.length - diff; k < changes.length; k++) changes[k] = 1;
    else if (diff < 0 && changes.length > 0) changes[changes.length - 1] += diff;
  };
  for (const { segment: g } of graphemes(ns.text)) {
    if (utf8Length(g) < 6) {
      const norm = map.transform(g);
      if (norm !== null) {
        modified = true;
        push(g, norm);
        continue;
      }
    }
    for (const c of g) {
      const norm = map.transform(c);
      if (norm !== null) {
        modified = true;
        push(c, norm);
      } else {
        chars.push(c);
        changes.push(0);
      }
    }
  }
  if (modified) ns.transform({ chars, changes });
}

function graphemes(s: string): Iterable<{ segment: string }> {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(s)) return [...s].map((segment) => ({ segment }));
  return segmenter.segment(s);
}

function utf8Length(s: string): number {
  let n = 0;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export function base64Decode(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error('not base64');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
