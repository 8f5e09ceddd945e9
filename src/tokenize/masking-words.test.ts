// Word boundaries for whole-word and span masking follow each family's reference rule (issue 7).
import { describe, expect, it } from 'vitest';
import { maskingWordIds, isSentencePieceStart, wordRuleOf } from './masking-words.js';
import { readFixture } from './parity.case.js';
import { loadTokenizer } from './tokenizer.js';
// @ts-expect-error plain .mjs tool without types
import { brownSentences } from '../../tools/make-tokenizer-fixtures.mjs';

const tok = (name: string) => loadTokenizer(readFixture(name));
const words = (name: string, text: string, rule?: 'pre-tokenizer') => {
  const t = tok(name);
  const e = t.encode(text);
  const ids = maskingWordIds(t, e, rule);
  const out: string[] = [];
  ids.forEach((w, i) => {
    if (w < 0) return;
    if (out.length === w) out.push('');
    out[w] += e.tokens[i];
  });
  return out;
};

describe('masking word ids', () => {
  it('rules by family', () => {
    expect(
      ['bert-wordpiece.json', 'gpt2-bpe.json', 'roberta-bpe.json', 't5-unigram.json', 'albert-unigram.json'].map((n) =>
        wordRuleOf(tok(n)),
      ),
    ).toEqual(['wordpiece', 'byte-level', 'byte-level', 'sentencepiece', 'sentencepiece']);
  });

  it('byte-level: a word starts at \'Ġ\', so "dog\'s" and "end." are one word each (fairseq, HF 2025)', () => {
    expect(words('gpt2-bpe.json', "The dog's end.")).toEqual(['The', "Ġdog's", 'Ġend.']);
    expect(words('gpt2-bpe.json', "The dog's end.", 'pre-tokenizer')).toEqual(['The', 'Ġdog', "'s", 'Ġend', '.']);
    expect(words('roberta-bpe.json', "The dog's end.")).toEqual(['The', "Ġdog's", 'Ġend.']);
  });

  it("wordpiece: '##' pieces continue a word; punctuation is its own word, as BERT", () => {
    const w = words('bert-wordpiece.json', 'unaffable jury, said');
    expect(w.length).toBe(4);
    expect(w[0].replaceAll('##', '')).toBe('unaffable');
  });

  it("sentencepiece: '▁' pieces and punctuation pieces start words (ALBERT)", () => {
    expect(isSentencePieceStart('\u2581the')).toBe(true);
    expect(isSentencePieceStart('.')).toBe(true);
    expect(isSentencePieceStart('s')).toBe(false);
    expect(isSentencePieceStart('9')).toBe(true);
    expect(words('albert-unigram.json', 'the end.')).toEqual(['\u2581the', '\u2581end', '.']);
  });

  it('specials are -1 and no word crosses [SEP] in a pair', () => {
    const t = tok('gpt2-bpe.json');
    const e = t.encode('a dog', 'dog food');
    const ids = maskingWordIds(t, e);
    for (let i = 1; i < ids.length; i++)
      if (ids[i] >= 0 && ids[i - 1] >= 0 && e.typeIds[i] !== e.typeIds[i - 1]) expect(ids[i]).not.toBe(ids[i - 1]);
    const b = tok('bert-wordpiece.json');
    const eb = b.encode('the cat', 'the dog');
    const w = Array.from(maskingWordIds(b, eb));
    const sep = eb.tokens.indexOf('[SEP]');
    expect([w[0], w[sep], w[w.length - 1]]).toEqual([-1, -1, -1]);
    expect(w[sep + 1]).toBe(w[sep - 1] + 1); // "the" of B is a new word, not word 0 again
  });

  it('on Brown: byte-level pre-tokenizer words outnumber the reference words, ALBERT starts more words than Metaspace splits, WordPiece agrees', () => {
    const sentences: string[] = brownSentences(20);
    const ratio = (name: string): number => {
      const t = tok(name);
      let reference = 0;
      let pre = 0;
      for (const s of sentences) {
        const e = t.encode(s);
        reference += Math.max(-1, ...maskingWordIds(t, e)) + 1;
        pre += Math.max(-1, ...maskingWordIds(t, e, 'pre-tokenizer')) + 1;
      }
      return pre / reference;
    };
    expect(ratio('gpt2-bpe.json')).toBeGreaterThan(1.03); // "'s", "." and the like are words of their own
    expect(ratio('bert-wordpiece.json')).toBe(1);
    expect(ratio('albert-unigram.json')).toBeLessThan(0.95); // punctuation pieces start words in ALBERT
  });
});
