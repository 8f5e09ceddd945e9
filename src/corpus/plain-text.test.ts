import { describe, expect, it } from 'vitest';
import { collectDocuments } from './document.js';
import { documentsFromLines } from './plain-text.js';

describe('documentsFromLines', () => {
  it('makes one document per blank-line-separated block, joining wrapped lines', async () => {
    const lines = ['', 'Mr. Smith came. He', 'sat down.', '  ', '', 'Second doc', 'here.', ''];
    expect(await collectDocuments(documentsFromLines(lines, { source: 'x.txt' }))).toEqual([
      { id: 'x.txt#0', sentences: ['Mr. Smith came.', 'He sat down.'], meta: { file: 'x.txt', line: 2 } },
      { id: 'x.txt#1', sentences: ['Second doc here.'], meta: { file: 'x.txt', line: 6 } },
    ]);
  });

  it('yields nothing for blank input and accepts an async source', async () => {
    async function* blank() {
      yield '';
      yield ' \t';
    }
    expect(await collectDocuments(documentsFromLines(blank()))).toEqual([]);
  });

  it('defaults the source name to "text"', async () => {
    const [doc] = await collectDocuments(documentsFromLines(['Hello.']));
    expect(doc.id).toBe('text#0');
  });
});
