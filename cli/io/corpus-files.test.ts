import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../src/errors.js';
import { collectDocuments } from '../../src/corpus/document.js';
import { listTextFiles, openCorpus } from './corpus-files.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));
const at = (name: string) => FIXTURES + name;
const read = (spec: string, opts = {}) => collectDocuments(openCorpus(spec, opts));

// docs.jsonl and docs.parquet hold the same rows (tools/make-corpus-fixtures.mjs); doc-3 is blank.
const ROWS = [
  ['doc-1', ['The cat sat on the mat.', 'It purred.']],
  ['doc-2', ['Mrs. Brown paid $3.50 for tea.', 'Was it worth it?', 'Yes!']],
  ['doc-4', ['First paragraph wraps over lines.', 'Second paragraph.', 'Same document.']],
  ['doc-5', ['Unicode works too: caf\u00e9, na\u00efve, \u201cquoted.\u201d', 'The end.']],
];

describe('openCorpus', () => {
  it('reads a folder: every .txt file recursively, sorted, one document per paragraph', async () => {
    expect(await listTextFiles(at('text'))).toEqual(['a.txt', 'b.txt', 'sub/c.txt']);
    const docs = await read(at('text'));
    expect(docs.map((d) => [d.id, d.sentences])).toEqual([
      ['a.txt#0', ['Mr. Smith went to Washington.', 'He met Dr. Jones at 5 p.m. on a Friday.']],
      ['a.txt#1', ['The second document has one sentence.']],
      ['b.txt#0', ['Windows line endings.', 'Are handled?']],
      ['b.txt#1', ['Yes!', 'After a whitespace-only line.']],
      ['sub/c.txt#0', ['A nested file, e.g. this one, is read too.', 'J. R. R. Tolkien agrees.']],
    ]);
    expect(docs[4].meta).toEqual({ file: 'sub/c.txt', line: 3 });
  });

  it('reads one .txt file', async () => {
    expect((await read(at('text/a.txt'))).map((d) => d.id)).toEqual(['a.txt#0', 'a.txt#1']);
  });

  it('reads JSONL with ids and extra fields in meta', async () => {
    const docs = await read(at('docs.jsonl'));
    expect(docs.map((d) => [d.id, d.sentences])).toEqual(ROWS);
    expect(docs[0].meta).toEqual({ lang: 'en', file: 'docs.jsonl', line: 1 });
  });

  it('reads parquet: the same documents as the JSONL twin', async () => {
    const docs = await read(at('docs.parquet'));
    expect(docs.map((d) => [d.id, d.sentences])).toEqual(ROWS);
    expect(docs[3].meta).toEqual({ file: 'docs.parquet', row: 4 });
  });

  it('passes the text field name through to JSONL and parquet', async () => {
    for (const file of ['docs.jsonl', 'docs.parquet']) {
      const docs = await read(at(file), { textField: 'lang' });
      expect(docs[0].sentences).toEqual(['en']);
    }
  });

  it('names file and line of malformed JSON', async () => {
    const err = await read(at('bad.jsonl')).catch((e) => e);
    expect(err).toBeInstanceOf(PretextError);
    expect(err.message).toMatch(/^bad\.jsonl:3: malformed JSON/);
  });

  it.each([
    ['missing file', 'nope.jsonl', /^no such file: .*nope\.jsonl$/],
    ['missing folder', 'nope/', /^no such file: .*nope\/$/],
  ])('rejects a %s', (_, name, message) => {
    expect(() => openCorpus(at(name))).toThrow(PretextError);
    expect(() => openCorpus(at(name))).toThrow(message);
  });

  it('reads a file of another name by its bytes: text unless it starts with {', async () => {
    const docs = await read(at('text/notes.md'));
    expect(docs.length).toBeGreaterThan(0);
    expect(docs[0].id).toBe('notes.md#0');
  });

  it('rejects an empty corpus when its stream ends', async () => {
    await expect(read(at('empty'))).rejects.toThrow(/^empty corpus: .*empty$/);
  });

  it("opens 'brown'", async () => {
    const first = await openCorpus('brown')[Symbol.asyncIterator]().next();
    expect(first.value).toMatchObject({ id: 'ca01', meta: { genre: 'news' } });
  });
});
