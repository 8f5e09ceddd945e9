// Post-processors of tokenizer.json (HF tokenizers/src/processors): add special tokens around the
// sequence(s), set type ids, trim byte-level offsets. Each maps the list of sequence encodings to a list
// that is concatenated at the end.
import { PretextError } from '../errors.js';
import { type Json, asObject, typeOf, getArray, getBool, getInt } from './json-fields.js';
import { countChars } from './normalized-string.js';
import { isWhitespace } from './unicode.js';

/** An encoding under construction; offsets are UTF-16 units of its own input `source`. */
export interface RawEncoding {
  source: string;
  ids: number[];
  tokens: string[];
  starts: number[];
  ends: number[];
  wordIds: number[];
  typeIds: number[];
  special: number[];
}

export interface PostProcessor {
  process(encs: RawEncoding[], addSpecialTokens: boolean): RawEncoding[];
  /** Template facts used by vocabInfo: the ids put first and after the first sequence. */
  readonly cls?: string;
  readonly sep?: string;
}

export function emptyEncoding(source: string): RawEncoding {
  return { source, ids: [], tokens: [], starts: [], ends: [], wordIds: [], typeIds: [], special: [] };
}

function specials(ids: number[], tokens: string[], typeId: number): RawEncoding {
  return {
    source: '',
    ids,
    tokens,
    starts: ids.map(() => 0),
    ends: ids.map(() => 0),
    wordIds: ids.map(() => -1),
    typeIds: ids.map(() => typeId),
    special: ids.map(() => 1),
  };
}

function pairOf(x: unknown, where: string): [string, number] {
  if (!Array.isArray(x) || x.length !== 2 || typeof x[0] !== 'string' || typeof x[1] !== 'number')
    throw new PretextError(`${where} must be [token, id]`);
  return [x[0], x[1]];
}

export function postProcessorFromJSON(cfg: unknown, where = 'post_processor'): PostProcessor {
  const type = typeOf(cfg, where);
  const o = asObject(cfg, where);
  const at = `${where} ${type}`;
  switch (type) {
    case 'BertProcessing':
    case 'RobertaProcessing':
      return bertLike(o, at, type === 'RobertaProcessing');
    case 'ByteLevel': {
      const trim = getBool(o, 'trim_offsets', at, true);
      const prefix = getBool(o, 'add_prefix_space', at, true);
      return { process: (encs) => (trim && encs.forEach((e) => trimOffsets(e, prefix)), encs) };
    }
    case 'TemplateProcessing':
      return template(o, at);
    case 'Sequence': {
      const parts = getArray(o, 'processors', at).map((c, i) => postProcessorFromJSON(c, `${at}[${i}]`));
      const withTokens = parts.find((p) => p.cls !== undefined || p.sep !== undefined);
      return {
        cls: withTokens?.cls,
        sep: withTokens?.sep,
        process: (encs, add) => parts.reduce((acc, p) => p.process(acc, add), encs),
      };
    }
    default:
      throw new PretextError(`unsupported ${where} type "${type}"`);
  }
}

/** [CLS] A [SEP] (B [SEP]): Bert types B as 1; Roberta puts </s></s> between, types all 0, trims offsets. */
function bertLike(o: Json, at: string, roberta: boolean): PostProcessor {
  const [sep, sepId] = pairOf(o.sep, `${at} sep`);
  const [cls, clsId] = pairOf(o.cls, `${at} cls`);
  const trim = roberta && getBool(o, 'trim_offsets', at, true);
  const prefix = getBool(o, 'add_prefix_space', at, true);
  return {
    cls,
    sep,
    process(encs, add) {
      if (trim) encs.forEach((e) => trimOffsets(e, prefix));
      if (roberta) encs.forEach((e) => e.typeIds.fill(0));
      if (!add) return encs;
      const out = [specials([clsId], [cls], 0), setType(encs[0], 0), specials([sepId], [sep], 0)];
      if (encs.length > 1) {
        const t = roberta ? 0 : 1;
        if (roberta) out.push(specials([sepId], [sep], 0));
        out.push(setType(encs[1], t), specials([sepId], [sep], t));
      }
      return out;
    },
  };
}

function setType(e: RawEncoding, t: number): RawEncoding {
  e.typeIds.fill(t);
  return e;
}

type Piece = { seq: 0 | 1; typeId: number } | { special: string; typeId: number };

function template(o: Json, at: string): PostProcessor {
  const table = new Map<string, { ids: number[]; tokens: string[] }>();
  for (const [k, v] of Object.entries(asObject(o.special_tokens ?? {}, `${at} special_tokens`))) {
    const e = asObject(v, `${at} special_tokens.${k}`);
    const ids = getArray(e, 'ids', at).map((x) => getInt({ x }, 'x', `${at} special_tokens.${k}.ids`));
    const tokens = getArray(e, 'tokens', at).map(String);
    if (ids.length !== tokens.length)
      throw new PretextError(`${at}: special token ${k} has ${ids.length} ids but ${tokens.length} tokens`);
    table.set(k, { ids, tokens });
  }
  const single = readTemplate(o.single ?? '$A:0', `${at} single`, table);
  const pair = readTemplate(o.pair ?? '$A:0 $B:1', `${at} pair`, table);
  const first = single[0];
  const afterA = single[single.findIndex((p) => 'seq' in p) + 1];
  return {
    cls: first && 'special' in first ? table.get(first.special)!.tokens[0] : undefined,
    sep: afterA && 'special' in afterA ? table.get(afterA.special)!.tokens[0] : undefined,
    process(encs, add) {
      const pieces = encs.length > 1 ? pair : single;
      const out: RawEncoding[] = [];
      for (const p of pieces) {
        if ('seq' in p) {
          const e = encs[p.seq];
          if (e) out.push(setType(out.includes(e) ? copy(e) : e, p.typeId));
        } else if (add) {
          const s = table.get(p.special)!;
          out.push(specials(s.ids, s.tokens, p.typeId));
        }
      }
      return out;
    },
  };
}

function copy(e: RawEncoding): RawEncoding {
  return {
    source: e.source,
    ids: [...e.ids],
    tokens: [...e.tokens],
    starts: [...e.starts],
    ends: [...e.ends],
    wordIds: [...e.wordIds],
    typeIds: [...e.typeIds],
    special: [...e.special],
  };
}

function readTemplate(x: unknown, at: string, table: Map<string, unknown>): Piece[] {
  const arr = Array.isArray(x) ? x : typeof x === 'string' ? x.split(' ') : null;
  if (arr === null) throw new PretextError(`${at} must be an array`);
  return arr.map((p) => {
    if (typeof p === 'string') return pieceFromString(p, at, table);
    const o = asObject(p, at);
    if (o.Sequence) {
      const s = asObject(o.Sequence, at);
      return { seq: s.id === 'B' ? 1 : 0, typeId: getInt(s, 'type_id', at, 0) };
    }
    if (o.SpecialToken) {
      const s = asObject(o.SpecialToken, at);
      const id = String(s.id);
      if (!table.has(id)) throw new PretextError(`${at}: missing special token "${id}"`);
      return { special: id, typeId: getInt(s, 'type_id', at, 0) };
    }
    throw new PretextError(`${at}: a piece must be {Sequence} or {SpecialToken}`);
  });
}

/** "$A", "$B:1", "$1", "[CLS]:0" (HF Piece::try_from). */
function pieceFromString(s: string, at: string, table: Map<string, unknown>): Piece {
  const [id, type] = s.split(':');
  const typeId = type === undefined ? 0 : Number(type);
  if (!Number.isInteger(typeId)) throw new PretextError(`${at}: bad piece "${s}"`);
  if (id.startsWith('$')) {
    const r = id.slice(1);
    if (r === '' || r === 'A' || r === 'a') return { seq: 0, typeId };
    if (r === 'B' || r === 'b') return { seq: 1, typeId };
    if (/^\d+$/.test(r)) return { seq: 0, typeId: Number(r) };
    throw new PretextError(`${at}: bad piece "${s}"`);
  }
  if (!table.has(id)) throw new PretextError(`${at}: missing special token "${id}"`);
  return { special: id, typeId };
}

const G = '\u0120';

/** HF byte_level process_offsets: drop leading/trailing spaces ('Ġ') from each token's offsets, counted in
 * chars (code points) of the source as HF counts them. */
export function trimOffsets(e: RawEncoding, addPrefixSpace: boolean): void {
  const space = (c: string): boolean => c === G || isWhitespace(c.codePointAt(0)!);
  for (let i = 0; i < e.tokens.length; i++) {
    const chars = [...e.tokens[i]];
    let lead = 0;
    while (lead < chars.length && space(chars[lead])) lead++;
    let trail = 0;
    while (trail < chars.length && space(chars[chars.length - 1 - trail])) trail++;
    if (lead > 0) {
      if (i === 0 && addPrefixSpace && lead === 1) lead = 0;
      e.starts[i] = Math.min(stepChars(e.source, e.starts[i], lead), e.ends[i]);
    }
    if (trail > 0 && countChars(e.source, 0, e.ends[i]) >= trail)
      e.ends[i] = Math.max(stepChars(e.source, e.ends[i], -trail), e.starts[i]);
  }
}

/** Index `n` code points after (n < 0: before) index i of s. */
function stepChars(s: string, i: number, n: number): number {
  const low = (k: number): boolean =>
    k > 0 &&
    k < s.length &&
    s.charCodeAt(k) >= 0xdc00 &&
    s.charCodeAt(k) < 0xe000 &&
    s.charCodeAt(k - 1) >= 0xd800 &&
    s.charCodeAt(k - 1) < 0xdc00;
  for (; n > 0; n--) i += low(i + 1) ? 2 : 1;
  for (; n < 0; n++) i -= low(i - 1) ? 2 : 1;
  return i;
}
