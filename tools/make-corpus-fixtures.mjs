// Writes test/fixtures/corpus/docs.jsonl and docs.parquet from one table of rows (run: node tools/make-corpus-fixtures.mjs).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteFile } from 'hyparquet-writer';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'corpus');

// [id, text, lang]; row 3 has no sentences (skipped by readers), row 4 has two paragraphs.
const ROWS = [
  ['doc-1', 'The cat sat on the mat. It purred.', 'en'],
  ['doc-2', 'Mrs. Brown paid $3.50 for tea. Was it worth it? Yes!', 'en'],
  ['doc-3', '   ', 'en'],
  ['doc-4', 'First paragraph\nwraps over lines.\n\nSecond paragraph. Same document.', 'en'],
  ['doc-5', 'Unicode works too: caf\u00e9, na\u00efve, \u201cquoted.\u201d The end.', 'fr'],
];

writeFileSync(join(out, 'docs.jsonl'), ROWS.map(([id, text, lang]) => JSON.stringify({ id, text, lang })).join('\n') + '\n');

parquetWriteFile({
  filename: join(out, 'docs.parquet'),
  columnData: [
    { name: 'id', data: ROWS.map((r) => r[0]), type: 'STRING' },
    { name: 'text', data: ROWS.map((r) => r[1]), type: 'STRING' },
    { name: 'lang', data: ROWS.map((r) => r[2]), type: 'STRING' },
  ],
  rowGroupSize: 2, // three row groups, to exercise group-by-group reading
});
console.log(`wrote docs.jsonl and docs.parquet (${ROWS.length} rows) to ${out}`);
