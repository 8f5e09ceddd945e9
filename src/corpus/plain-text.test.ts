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

  describe('docSep: how a document ends', () => {
    const lines = ['Heading', '', 'One. Two', 'wraps.', '', 'Three.', '---', 'Four.', ''];
    const docs = async (docSep: Parameters<typeof documentsFromLines>[1]['docSep']) =>
      (await collectDocuments(documentsFromLines(lines, { source: 'f', docSep }))).map((d) => [
        d.sentences,
        d.meta.line,
      ]);

    it("'line': every non-blank line", async () => {
      expect(await docs('line')).toEqual([
        [['Heading'], 1],
        [['One.', 'Two'], 3],
        [['wraps.'], 4],
        [['Three.'], 6],
        [['---'], 7],
        [['Four.'], 8],
      ]);
    });

    it("'file': one document whose sentences never cross a blank line", async () => {
      expect(await docs('file')).toEqual([[['Heading', 'One.', 'Two wraps.', 'Three.', '--- Four.'], 1]]); // lines of a paragraph join
    });

    it('a regex: separator lines end documents and are dropped; blank lines only break paragraphs', async () => {
      expect(await docs(/^-{3,}$/)).toEqual([
        [['Heading', 'One.', 'Two wraps.', 'Three.'], 1],
        [['Four.'], 8],
      ]);
    });
  });
});
