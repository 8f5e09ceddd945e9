// The Tokenizer API on the fixtures: errors, VocabInfo per family, offsets, word ids, pairs, decode.
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { loadTokenizer } from './tokenizer.js';
import { FAMILY_SPECIALS, sentinelId } from './vocab-info.js';
import { TABLE, readFixture } from './parity.case.js';

const load = (name: string) => loadTokenizer(readFixture(name));
const bert = load('bert-wordpiece.json');
const gpt2 = load('gpt2-bpe.json');
const roberta = load('roberta-bpe.json');
const t5 = load('t5-unigram.json');

function loadError(json: unknown): string {
  try {
    loadTokenizer(json as object);
  } catch (e) {
    expect(e).toBeInstanceOf(PretextError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a PretextError');
}

describe('loadTokenizer errors', () => {
  const base = () => JSON.parse(readFixture('bert-wordpiece.json'));
  it('names the problem in one line', () => {
    expect(loadError('{"model": ')).toMatch(/not valid JSON/);
    expect(loadError('[1, 2]')).toMatch(/tokenizer.json must be an object/);
    expect(loadError({ version: '1.0' })).toMatch(/has no "model"/);
    expect(loadError({ model: { type: 'Sparse', vocab: {} } })).toMatch(/unsupported model type "Sparse"/);
    expect(loadError({ ...base(), normalizer: { type: 'Cyrillic' } })).toMatch(
      /unsupported normalizer type "Cyrillic"/,
    );
    expect(loadError({ ...base(), pre_tokenizer: { type: 'UnicodeScripts' } })).toMatch(
      /unsupported pre_tokenizer type "UnicodeScripts"/,
    );
    expect(loadError({ ...base(), post_processor: { type: 'Magic' } })).toMatch(
      /unsupported post_processor type "Magic"/,
    );
    expect(loadError({ ...base(), decoder: { type: 'Sequence', decoders: [{ type: 'Nope' }] } })).toMatch(
      /decoder Sequence\[0\]/,
    );
    expect(loadError({ ...base(), normalizer: { type: 'Precompiled', precompiled_charsmap: 'AAAA' } })).toMatch(
      /cannot parse precompiled_charsmap/,
    );
    expect(loadError({ ...base(), normalizer: { type: 'Precompiled', precompiled_charsmap: '%%%' } })).toMatch(
      /cannot parse precompiled_charsmap/,
    );
    expect(loadError({ model: { type: 'BPE', vocab: { a: 0 }, merges: ['a b'] } })).toMatch(
      /merge 0 "a b" uses a token missing/,
    );
    expect(loadError({ model: { type: 'WordPiece', vocab: { a: -1 } } })).toMatch(/non-negative integer/);
    expect(loadError({ model: { type: 'Unigram', vocab: [['a', 0]], unk_id: 3 } })).toMatch(/unk_id 3 is outside/);
    expect(
      loadError({ ...base(), pre_tokenizer: { type: 'Split', pattern: { Regex: '(' }, behavior: 'Isolated' } }),
    ).toMatch(/unsupported regex/);
    expect(
      loadError({ ...base(), pre_tokenizer: { type: 'Split', pattern: { Regex: 'a' }, behavior: 'Sideways' } }),
    ).toMatch(/unknown split behavior/);
  });

  it('fails at encode when the WordPiece unk token is missing, as HF does', () => {
    const j = base();
    delete j.model.vocab['[UNK]'];
    j.added_tokens = j.added_tokens.filter((t: { content: string }) => t.content !== '[UNK]');
    const tok = loadTokenizer(j);
    expect(() => tok.encode('☃')).toThrow(/unk token "\[UNK\]" is missing/);
  });
});

describe('vocabInfo per family', () => {
  it('BERT: [PAD] [UNK] [CLS] [SEP] [MASK] at 0..4', () => {
    expect(bert.vocabInfo()).toEqual({
      vocabSize: 1000,
      padId: 0,
      unkId: 1,
      clsId: 2,
      sepId: 3,
      maskId: 4,
      bosId: undefined,
      eosId: undefined,
      specialIds: [0, 1, 2, 3, 4],
    });
    expect(FAMILY_SPECIALS.bert.map((t) => bert.tokenToId(t))).toEqual([0, 1, 2, 3, 4]);
  });
  it('GPT-2: <|endoftext|> is bos, eos and pad', () => {
    const eot = gpt2.tokenToId('<|endoftext|>')!;
    expect(eot).toBe(gpt2.vocabSize - 1);
    expect(gpt2.vocabInfo()).toMatchObject({ padId: eot, bosId: eot, eosId: eot, specialIds: [eot] });
    expect(gpt2.vocabInfo().unkId).toBeUndefined();
  });
  it('RoBERTa: <s> </s> from the post-processor, <mask> added last', () => {
    const mask = roberta.tokenToId('<mask>')!;
    expect(roberta.vocabInfo()).toMatchObject({
      padId: 1,
      unkId: 3,
      clsId: 0,
      sepId: 2,
      maskId: mask,
      bosId: 0,
      eosId: 2,
      specialIds: [0, 1, 2, 3, mask],
    });
  });
  it('T5: <pad> </s> <unk> and sentinels counting down from the top', () => {
    const v = t5.vocabInfo();
    expect(v).toMatchObject({ padId: 0, eosId: 1, unkId: 2 });
    expect(t5.tokenToId('<extra_id_0>')).toBe(t5.vocabSize - 1);
    expect(t5.tokenToId('<extra_id_9>')).toBe(t5.vocabSize - 10);
    expect(sentinelId((t) => t5.tokenToId(t), t5.vocabSize, 3)).toBe(t5.vocabSize - 4);
    expect(sentinelId(() => undefined, 32100, 0)).toBe(32099);
    for (let i = 0; i < 10; i++) expect(v.specialIds).toContain(t5.vocabSize - 1 - i);
  });
});

describe('encode', () => {
  it('returns typed arrays and BERT word ids that group word pieces (whole-word masking)', () => {
    const e = bert.encode('Unaffable Jurors deliberated.');
    expect(e.ids).toBeInstanceOf(Int32Array);
    expect(e.wordIds).toBeInstanceOf(Int32Array);
    expect(e.specialTokensMask).toBeInstanceOf(Uint8Array);
    expect(e.tokens[0]).toBe('[CLS]');
    expect(e.wordIds[0]).toBe(-1);
    expect(e.wordIds[e.wordIds.length - 1]).toBe(-1);
    const words = new Map<number, string>();
    e.tokens.forEach((t, i) => {
      if (e.wordIds[i] >= 0) words.set(e.wordIds[i], (words.get(e.wordIds[i]) ?? '') + t.replace(/^##/, ''));
    });
    expect([...words.values()]).toEqual(['unaffable', 'jurors', 'deliberated', '.']);
  });

  it('gives word ids with any tokenizer: byte-level words carry their leading space', () => {
    const e = gpt2.encode('The unaffable jury');
    const words = new Map<number, string>();
    e.tokens.forEach((t, i) => words.set(e.wordIds[i], (words.get(e.wordIds[i]) ?? '') + t));
    expect([...words.values()]).toEqual(['The', 'Ġunaffable', 'Ġjury']);
  });

  it('offsets are UTF-16 ranges of the input: slices give back the text', () => {
    const text = 'héllo 😀 wörld';
    const e = gpt2.encode(text);
    // Byte tokens inside one char all carry that char's range (as HF): drop repeats before joining.
    const ranges = e.offsets.filter(([s, t], i) => i === 0 || s !== e.offsets[i - 1][0] || t !== e.offsets[i - 1][1]);
    expect(
      ranges
        .map(([s, t]) => text.slice(s, t))
        .join('')
        .replace(/\s/g, ''),
    ).toBe(text.replace(/\s/g, ''));
    const emoji = bert.encode(text).offsets.find(([s, t]) => text.slice(s, t) === '😀');
    expect(emoji).toEqual([6, 8]);
    for (const tok of [bert, gpt2, roberta, t5]) {
      for (const s of TABLE) {
        const enc = tok.encode(s);
        enc.offsets.forEach(([a, b], i) => {
          expect(a).toBeLessThanOrEqual(b);
          expect(b).toBeLessThanOrEqual(s.length);
          if (enc.specialTokensMask[i]) expect([a, b]).toEqual([0, 0]);
        });
      }
    }
  });

  it('pairs: type ids per sequence, offsets per sequence, specials on or off', () => {
    const e = bert.encode('How are you?', 'Fine.');
    expect(e.tokens).toEqual(['[CLS]', 'how', 'are', 'you', '?', '[SEP]', 'fin', '##e', '.', '[SEP]']);
    expect([...e.typeIds]).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect([...e.specialTokensMask]).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect([...e.wordIds]).toEqual([-1, 0, 1, 2, 3, -1, 0, 0, 1, -1]);
    expect(e.offsets.slice(6, 9)).toEqual([
      [0, 3],
      [3, 4],
      [4, 5],
    ]);
    const bare = bert.encode('How are you?', 'Fine.', { addSpecialTokens: false });
    expect(bare.tokens).toEqual(['how', 'are', 'you', '?', 'fin', '##e', '.']);
    expect([...bare.typeIds]).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(t5.encode('a', 'b').tokens.filter((t) => t === '</s>')).toHaveLength(2);
  });

  it('matches added tokens before the model, special or not', () => {
    expect(bert.encode('a [MASK] b', undefined, { addSpecialTokens: false }).tokens).toEqual(['a', '[MASK]', 'b']);
    const r = roberta.encode('Hello <mask>!', undefined, { addSpecialTokens: false });
    expect(r.tokens).toContain(' <mask>');
    expect(r.ids).toContain(roberta.tokenToId('<mask>'));
    expect(t5.encode('x <extra_id_0> y').ids).toContain(t5.vocabSize - 1);
  });

  it('empty and whitespace-only inputs', () => {
    expect(bert.encode('').tokens).toEqual(['[CLS]', '[SEP]']);
    expect(bert.encode(' \t\n', undefined, { addSpecialTokens: false }).ids).toHaveLength(0);
    expect(gpt2.encode('').ids).toHaveLength(0);
    expect(t5.encode('').tokens).toEqual(['</s>']);
  });

  it('rejects a non-string input', () => {
    expect(() => bert.encode(42 as unknown as string)).toThrow(PretextError);
  });
});

describe('decode and vocabulary lookups', () => {
  it('decodes through the family decoder, optionally skipping specials', () => {
    const e = bert.encode("Mr. Smith's car.");
    expect(bert.decode(e.ids)).toBe("[CLS] mr. smith ' s car. [SEP]"); // as HF: cleanup is per token
    expect(bert.decode(e.ids, { skipSpecialTokens: true })).toBe("mr. smith ' s car.");
    expect(gpt2.decode(gpt2.encode('héllo 😀 wörld').ids)).toBe('héllo 😀 wörld');
    expect(t5.decode(t5.encode('The jury said').ids, { skipSpecialTokens: true })).toBe('The jury said');
    expect(bert.decode([])).toBe('');
    expect(bert.decode([999999, 2])).toBe('[CLS]');
  });

  it('maps tokens and ids both ways', () => {
    expect(bert.tokenToId('[SEP]')).toBe(3);
    expect(bert.idToToken(3)).toBe('[SEP]');
    expect(bert.tokenToId('no-such-token')).toBeUndefined();
    expect(bert.idToToken(-1)).toBeUndefined();
    expect(gpt2.idToToken(gpt2.tokenToId('Ġthe')!)).toBe('Ġthe');
  });

  it('toJSON gives the HF structure back', () => {
    const j = bert.toJSON() as Record<string, unknown>;
    expect(Object.keys(j)).toEqual([
      'version',
      'truncation',
      'padding',
      'added_tokens',
      'normalizer',
      'pre_tokenizer',
      'post_processor',
      'decoder',
      'model',
    ]);
    expect(j).toEqual(JSON.parse(readFixture('bert-wordpiece.json')));
  });
});
