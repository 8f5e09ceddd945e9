// Shared by the tokenizer tests: the edge-case table and a field-by-field comparison with HF `tokenizers`
// (the Rust library's Node binding, a dev dependency). HF offsets count code points; ours UTF-16 units.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Tokenizer } from './tokenizer.js';

const require = createRequire(import.meta.url);

interface HfEncoding {
  getIds(): number[];
  getTokens(): string[];
  getOffsets(): number[][];
  getWordIds(): (number | null | undefined)[];
  getTypeIds(): number[];
  getSpecialTokensMask(): number[];
  getSequenceIds(): (number | null | undefined)[];
}
export interface HfTokenizer {
  encode(a: string, b?: string | null, o?: { addSpecialTokens?: boolean }): Promise<HfEncoding>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
  getVocabSize(withAdded?: boolean): number;
  tokenToId(t: string): number | null;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const hf = require('tokenizers') as {
  Tokenizer: { new (model: unknown): any; fromString(s: string): HfTokenizer };
} & Record<string, any>;

export const FIXTURES = new URL('../../test/fixtures/tokenizers/', import.meta.url);
export const readFixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

export const TABLE: readonly string[] = [
  '',
  '   ',
  '\t\n',
  'Hello, world!',
  'The jury said Friday an investigation of recent primary elections produced no evidence.',
  "Mr. Smith's e.g. U.S.A.",
  "don't won't it's we're I'm",
  '...!?;:-- "quoted" (parens) [brackets] {braces}',
  'café naïve résumé Ångström',
  'cafe\u0301 decomposed',
  'emoji 😀👍🏽 ok 👨‍👩‍👧',
  '中文字符 and 日本語テキスト 한국어',
  '1234 3.14 1,000,000 2024-01-01',
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'unknown ☃ ⚡ ∑ chars',
  '\tTabs\nand\r\nnewlines  here',
  'ＡＢＣ ﬁne… ① ½',
  'x\u200by\u00adz zero\u200bwidth',
  'ǅ İstanbul ΟΔΟΣ straße',
  '[CLS] [MASK] <s> </s> <mask> <|endoftext|> <pad> <extra_id_0>',
  '  leading and trailing  ',
  'a'.repeat(120),
  'multiple     spaces',
];

export const PAIRS: readonly [string, string][] = [
  ['How are you?', 'Fine, thanks.'],
  ['', 'only the second'],
  ['a 😀', ''],
  ["Mr. Smith's", 'U.S.A. [MASK]'],
];

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Our encoding with code-point offsets, in HF's field layout. */
async function both(ours: Tokenizer, theirs: HfTokenizer, a: string, b: string | undefined, add: boolean) {
  const e = ours.encode(a, b, { addSpecialTokens: add });
  const h = await theirs.encode(a, b ?? null, { addSpecialTokens: add });
  const seq = h.getSequenceIds();
  const cp = (s: string, o: number): number => [...s.slice(0, o)].length;
  const mine = {
    ids: [...e.ids],
    // the binding hands Rust well-formed UTF-8: a lone surrogate arrives as U+FFFD (ids and offsets are unaffected)
    tokens: e.tokens.map((t) => t.replace(LONE_SURROGATE, '\uFFFD')),
    offsets: e.offsets.map(([s, t], i) => (seq[i] === 1 ? [cp(b!, s), cp(b!, t)] : [cp(a, s), cp(a, t)])),
    wordIds: [...e.wordIds],
    typeIds: [...e.typeIds],
    specialTokensMask: [...e.specialTokensMask],
  };
  const ref = {
    ids: h.getIds(),
    tokens: h.getTokens(),
    offsets: h.getOffsets(),
    wordIds: h.getWordIds().map((w) => w ?? -1),
    typeIds: h.getTypeIds(),
    specialTokensMask: h.getSpecialTokensMask(),
  };
  return { mine, ref, ids: [...e.ids] };
}

/** Every difference from HF over the table and pairs, with and without special tokens, and on decode. */
export async function hfDifferences(ours: Tokenizer, json: string, texts = TABLE, pairs = PAIRS): Promise<string[]> {
  const theirs = hf.Tokenizer.fromString(json);
  const out: string[] = [];
  const inputs: [string, string | undefined][] = [...texts.map((t) => [t, undefined] as [string, undefined]), ...pairs];
  for (const [a, b] of inputs) {
    for (const add of [true, false]) {
      const { mine, ref, ids } = await both(ours, theirs, a, b, add);
      for (const k of Object.keys(ref) as (keyof typeof ref)[]) {
        if (JSON.stringify(mine[k]) !== JSON.stringify(ref[k]))
          out.push(
            `${JSON.stringify(a)}${b === undefined ? '' : ` + ${JSON.stringify(b)}`} add=${add} ${k}: ours ${JSON.stringify(mine[k])} hf ${JSON.stringify(ref[k])}`,
          );
      }
      for (const skip of [false, true]) {
        const d = ours.decode(ids, { skipSpecialTokens: skip });
        const r = await theirs.decode(ids, skip);
        if (d !== r)
          out.push(`decode(${JSON.stringify(a)}, skip=${skip}): ours ${JSON.stringify(d)} hf ${JSON.stringify(r)}`);
      }
    }
  }
  return out;
}
