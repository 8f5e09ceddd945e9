// Decoders of tokenizer.json (HF tokenizers/src/decoders): tokens -> tokens chains, joined at the end.
// e.g. WordPiece: [un, ##aff, ##able, .] -> "unaffable."
import { PretextError } from '../errors.js';
import { asObject, typeOf, getArray, getBool, getChar, getInt, getStr } from './json-fields.js';
import { byteLevelDecode } from './byte-level.js';
import { findMatches, patternFromJSON } from './pattern.js';
import { prependScheme } from './pre-tokenizers.js';

export type Decoder = (tokens: string[]) => string[];

export function decoderFromJSON(cfg: unknown, where = 'decoder'): Decoder {
  const type = typeOf(cfg, where);
  const o = asObject(cfg, where);
  const at = `${where} ${type}`;
  switch (type) {
    case 'ByteLevel':
      return (tokens) => [byteLevelDecode(tokens)];
    case 'WordPiece': {
      const prefix = getStr(o, 'prefix', at, '##');
      const clean = getBool(o, 'cleanup', at, true);
      return (tokens) =>
        tokens.map((t, i) => {
          if (i > 0) t = t.startsWith(prefix) ? t.slice(prefix.length) : ` ${t}`;
          return clean ? cleanup(t) : t;
        });
    }
    case 'Metaspace': {
      const rep = getChar(o, 'replacement', at, '\u2581');
      const dropFirst = prependScheme(o, at) !== 'never';
      return (tokens) => tokens.map((t, i) => (i === 0 && dropFirst ? t.split(rep).join('') : t.split(rep).join(' ')));
    }
    case 'Replace': {
      const re = patternFromJSON(o.pattern, at);
      const content = getStr(o, 'content', at);
      return (tokens) =>
        tokens.map((t) =>
          findMatches(t, re)
            .map(([a, b, m]) => (m ? content : t.slice(a, b)))
            .join(''),
        );
    }
    case 'Strip': {
      const c = getChar(o, 'content', at);
      const start = getInt(o, 'start', at, 0);
      const stop = getInt(o, 'stop', at, 0);
      return (tokens) => tokens.map((t) => strip(t, c, start, stop));
    }
    case 'Fuse':
      return (tokens) => [tokens.join('')];
    case 'ByteFallback':
      return byteFallback;
    case 'BPEDecoder': {
      const suffix = getStr(o, 'suffix', at, '</w>');
      return (tokens) => tokens.map((t, i) => t.split(suffix).join(i === tokens.length - 1 ? '' : ' '));
    }
    case 'CTC':
      return ctc(
        getStr(o, 'pad_token', at, '<pad>'),
        getStr(o, 'word_delimiter_token', at, '|'),
        getBool(o, 'cleanup', at, true),
      );
    case 'Sequence': {
      const parts = getArray(o, 'decoders', at).map((c, i) => decoderFromJSON(c, `${at}[${i}]`));
      return (tokens) => parts.reduce((acc, d) => d(acc), tokens);
    }
    default:
      throw new PretextError(`unsupported ${where} type "${type}"`);
  }
}

/** CTC: collapse repeats, drop pads, delimiters become spaces (with cleanup), drop empty tokens. */
function ctc(pad: string, delim: string, clean: boolean): Decoder {
  return (tokens) =>
    tokens
      .filter((t, i) => i === 0 || t !== tokens[i - 1])
      .map((t) => {
        const r = t.split(pad).join('');
        return clean ? cleanup(r).split(delim).join(' ') : r;
      })
      .filter((t) => t !== '');
}

/** HF wordpiece cleanup: glue punctuation and English contractions. */
export function cleanup(s: string): string {
  return s
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

function strip(t: string, c: string, start: number, stop: number): string {
  const chars = [...t];
  let a = 0;
  while (a < start && a < chars.length && chars[a] === c) a++;
  let b = chars.length;
  while (chars.length - b < stop && b > a && chars[b - 1] === c) b--;
  return chars.slice(a, b).join('');
}

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/** Runs of <0xXX> tokens become their UTF-8 text, or one U+FFFD per byte when invalid. */
function byteFallback(tokens: string[]): string[] {
  const out: string[] = [];
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length === 0) return;
    try {
      out.push(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes)));
    } catch {
      for (let i = 0; i < bytes.length; i++) out.push('\uFFFD');
    }
    bytes = [];
  };
  for (const t of tokens) {
    const m = BYTE_TOKEN.exec(t);
    if (m) bytes.push(parseInt(m[1], 16));
    else {
      flush();
      out.push(t);
    }
  }
  flush();
  return out;
}
