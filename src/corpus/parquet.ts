// Parquet: one document per row of a text column, read one row group at a time through an AsyncBuffer (a file
// handle in Node, HTTP ranges in a browser), so memory holds one row group of the needed columns, not the file.
import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { PretextError } from '../errors.js';
import type { Document } from './document.js';
import { sentencesOfText } from './sentence-splitter.js';

export interface ParquetOptions {
  /** Names the input in ids, meta and errors. Default "parquet". */
  source?: string;
  /** Column holding the text. Default "text". */
  textColumn?: string;
  /** Column holding the id, used when present; otherwise ids are `${source}#${row}`. Default "id". */
  idColumn?: string;
}

/**
 * Documents from a parquet file's rows. Null or empty texts are skipped. meta: { file: source, row } (0-based row).
 * A missing text column or an unreadable file -> PretextError.
 */
export async function* documentsFromParquet(file: AsyncBuffer, opts: ParquetOptions = {}): AsyncGenerator<Document> {
  const source = opts.source ?? 'parquet';
  const textColumn = opts.textColumn ?? 'text';
  const idColumn = opts.idColumn ?? 'id';
  const metadata = await readMetadata(file, source);
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  if (!names.includes(textColumn)) {
    throw new PretextError(`${source}: no column "${textColumn}" (columns: ${names.join(', ')})`);
  }
  const columns = names.includes(idColumn) && idColumn !== textColumn ? [textColumn, idColumn] : [textColumn];
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, columns, rowStart, rowEnd });
    for (let i = 0; i < rows.length; i++) {
      const row = rowStart + i;
      const sentences = sentencesOfText(asText(rows[i][textColumn]));
      if (sentences.length === 0) continue;
      const rawId = rows[i][idColumn];
      const id = columns.length > 1 && rawId != null ? String(rawId) : `${source}#${row}`;
      yield { id, sentences, meta: { file: source, row } };
    }
    rowStart = rowEnd;
  }
}

async function readMetadata(file: AsyncBuffer, source: string): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(file);
  } catch (err) {
    throw new PretextError(`${source}: not a readable parquet file (${(err as Error).message})`);
  }
}

// UTF8 columns decode to strings; a plain BYTE_ARRAY column arrives as bytes.
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return '';
}
