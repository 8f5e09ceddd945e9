import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { parseTriples, triplesAsDocuments } from '../corpus/triples.js';
import { sentenceRows, tripleRows } from './sentence-rows.js';
import type { TokenizedCorpus } from './tokens.js';

describe('SimCSE data', () => {
  const corpus: TokenizedCorpus = {
    ids: Int32Array.of(10, 11, 12, 13, 14, 15, 16, 17, 18),
    segments: Int32Array.of(0, 2, 3, 6, 9),
    documents: Int32Array.of(0, 2, 4),
  };

  it('a row per sentence, [CLS] .. [SEP] cut to maxLen; triples from three-sentence documents', () => {
    expect(sentenceRows(corpus, 2, 3, 4).map((r) => Array.from(r.input_ids))).toEqual([
      [2, 10, 11, 3],
      [2, 12, 3],
      [2, 13, 14, 3],
      [2, 16, 17, 3],
    ]);
    expect(() => tripleRows(corpus, 2, 3, 8)).toThrow('document 0 has 2 sentences');
    const three: TokenizedCorpus = {
      ids: Int32Array.of(10, 11, 12, 13),
      segments: Int32Array.of(0, 2, 3, 4),
      documents: Int32Array.of(0, 3),
    };
    const [t] = tripleRows(three, 2, 3, 8);
    expect([t.input_ids, t.positive_ids, t.negative_ids].map((x) => Array.from(x ?? []))).toEqual([
      [2, 10, 11, 3],
      [2, 12, 3],
      [2, 13, 3],
    ]);
    expect(triplesAsDocuments([{ anchor: 'a', positive: 'b', negative: 'c' }], 'p.jsonl')).toEqual([
      { id: 'p.jsonl:0', sentences: ['a', 'b', 'c'], meta: {} },
    ]);
  });

  it('JSONL triples: anchor/positive/negative or sent0/sent1/hard_neg; bad lines name the line', () => {
    const t = parseTriples(
      '{"anchor":"a","positive":"b","negative":"c"}\n\n{"sent0":"x","sent1":"y","hard_neg":"z"}\n',
      'p.jsonl',
    );
    expect(t).toEqual([
      { anchor: 'a', positive: 'b', negative: 'c' },
      { anchor: 'x', positive: 'y', negative: 'z' },
    ]);
    expect(() => parseTriples('{"anchor":"a","positive":"b"}', 'p.jsonl')).toThrow(
      'p.jsonl line 1: "negative" (or "hard_neg") must be a non-empty string',
    );
    expect(() => parseTriples('x\n', 'p.jsonl')).toThrow(PretextError);
    expect(() => parseTriples('\n', 'p.jsonl')).toThrow('p.jsonl: no triples');
  });
});
