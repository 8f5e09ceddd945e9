import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { collectDocuments } from './document.js';
import { documentsFromJsonl } from './jsonl.js';

const read = (lines: string[], opts = {}) =>
  collectDocuments(documentsFromJsonl(lines, { source: 'd.jsonl', ...opts }));

describe('documentsFromJsonl', () => {
  it('makes a document per row; paragraphs stay in one document; other fields go to meta', async () => {
    const docs = await read([
      JSON.stringify({ id: 'a', text: 'One. Two.\n\nThree.', lang: 'en' }),
      '',
      JSON.stringify({ text: 'No id here.' }),
      JSON.stringify({ id: 7, text: '  ' }),
    ]);
    expect(docs).toEqual([
      { id: 'a', sentences: ['One.', 'Two.', 'Three.'], meta: { lang: 'en', file: 'd.jsonl', line: 1 } },
      { id: 'd.jsonl:3', sentences: ['No id here.'], meta: { file: 'd.jsonl', line: 3 } },
    ]);
  });

  it('reads a configurable text field and number ids', async () => {
    const docs = await read([JSON.stringify({ id: 3, content: 'Hi there.', text: 1 })], { textField: 'content' });
    expect(docs[0]).toMatchObject({ id: '3', sentences: ['Hi there.'], meta: { text: 1 } });
  });

  it.each([
    ['{"text": "ok"', /^d\.jsonl:2: malformed JSON/],
    ['[1, 2]', /^d\.jsonl:2: expected a JSON object per line$/],
    ['{"body": "x"}', /^d\.jsonl:2: field "text" is missing$/],
    ['{"text": 5}', /^d\.jsonl:2: field "text" is not a string$/],
  ])('rejects %s naming file and line', async (bad, message) => {
    const err = await read(['{"text": "Fine."}', bad]).catch((e) => e);
    expect(err).toBeInstanceOf(PretextError);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });
});
