// JSONL document rows keep their word ids, so nsp/sop can mask whole words and SpanBERT spans (issue 7).
import { describe, expect, it } from 'vitest';
import { PretextError } from '../src/errors.js';
import { parseDocumentRow } from './rows.js';

describe('parseDocumentRow', () => {
  it('keeps word_ids per sentence', () => {
    const d = parseDocumentRow(
      JSON.stringify({ id: 'd', sentences: [[10, 11], [12]], word_ids: [[0, 0], [0]] }),
      'x:1',
      0,
    );
    expect(d.word_ids?.map((w) => Array.from(w))).toEqual([[0, 0], [0]]);
  });

  it('rejects word_ids that do not match the sentences', () => {
    expect(() => parseDocumentRow(JSON.stringify({ sentences: [[10, 11]], word_ids: [[0]] }), 'x:1', 0)).toThrow(
      PretextError,
    );
    expect(() =>
      parseDocumentRow(JSON.stringify({ sentences: [[10, 11]], word_ids: [[0, 0], [1]] }), 'x:1', 0),
    ).toThrow(/word_ids/);
  });
});
