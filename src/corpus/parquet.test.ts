import { parquetWriteBuffer } from 'hyparquet-writer';
import type { AsyncBuffer } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { collectDocuments } from './document.js';
import { documentsFromParquet } from './parquet.js';

// An in-memory AsyncBuffer that records the byte ranges asked for.
function memoryBuffer(buf: ArrayBuffer): AsyncBuffer & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return { byteLength: buf.byteLength, reads, slice: (s, e = buf.byteLength) => (reads.push([s, e]), buf.slice(s, e)) };
}

const TEXTS = ['First doc. Two sentences.', '', 'Third.\n\nSame doc.', 'Fourth!', 'Fifth?'];

describe('documentsFromParquet', () => {
  it('reads the text column row group by row group, skipping empty rows, ids from the id column', async () => {
    const file = memoryBuffer(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: ['a', 'b', 'c', 'd', null], type: 'STRING' },
          { name: 'text', data: TEXTS, type: 'STRING' },
        ],
        rowGroupSize: 2,
      }),
    );
    const docs = await collectDocuments(documentsFromParquet(file, { source: 'p.parquet' }));
    expect(docs).toEqual([
      { id: 'a', sentences: ['First doc.', 'Two sentences.'], meta: { file: 'p.parquet', row: 0 } },
      { id: 'c', sentences: ['Third.', 'Same doc.'], meta: { file: 'p.parquet', row: 2 } },
      { id: 'd', sentences: ['Fourth!'], meta: { file: 'p.parquet', row: 3 } },
      { id: 'p.parquet#4', sentences: ['Fifth?'], meta: { file: 'p.parquet', row: 4 } },
    ]);
    const [, ...dataReads] = file.reads; // the first read is the footer (metadata)
    expect(dataReads.length).toBeGreaterThanOrEqual(3); // one per row group at least
    expect(dataReads.every(([s, e]) => e - s < file.byteLength / 2)).toBe(true);
  });

  it('takes a configurable text column and falls back to row ids without an id column', async () => {
    const file = memoryBuffer(
      parquetWriteBuffer({ columnData: [{ name: 'body', data: ['Hello there.'], type: 'STRING' }] }),
    );
    const docs = await collectDocuments(documentsFromParquet(file, { textColumn: 'body' }));
    expect(docs).toEqual([{ id: 'parquet#0', sentences: ['Hello there.'], meta: { file: 'parquet', row: 0 } }]);
  });

  it('names the missing column and the columns present', async () => {
    const file = memoryBuffer(parquetWriteBuffer({ columnData: [{ name: 'body', data: ['x'], type: 'STRING' }] }));
    await expect(collectDocuments(documentsFromParquet(file, { source: 'p.parquet' }))).rejects.toThrow(
      'p.parquet: no column "text" (columns: body)',
    );
  });

  it('rejects bytes that are not parquet', async () => {
    const file = memoryBuffer(new TextEncoder().encode('not parquet at all').buffer as ArrayBuffer);
    const err = await collectDocuments(documentsFromParquet(file, { source: 'x.parquet' })).catch((e) => e);
    expect(err).toBeInstanceOf(PretextError);
    expect(err.message).toMatch(/^x\.parquet: not a readable parquet file/);
  });
});
