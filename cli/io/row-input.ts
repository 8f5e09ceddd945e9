// transform's input: token rows {input_ids, word_ids?}, document rows {id, sentences} (JSONL or Parquet, told
// apart by their bytes), or text (any corpus form, or the argument) for the tokenizer to turn into rows.
import { existsSync, statSync } from 'node:fs';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { DocumentExample, TokenExample } from '../../src/batch/row.js';
import { PretextError } from '../../src/errors.js';
import { collectDocuments, type Document } from '../../src/corpus/document.js';
import type { TextEncoding } from '../../src/corpus/lines.js';
import { readLinesSync } from '../lines.js';
import { parseDocumentRow, parseTokenRow } from '../rows.js';
import { fileFormat, openCorpus, type CorpusOptions } from './corpus-files.js';
import { STDIN, openAsyncBuffer } from './file-access.js';

/** What an input holds. */
export type RowInput =
  | { kind: 'token-rows'; name: string; rows(): Iterable<TokenExample> }
  | { kind: 'document-rows'; name: string; rows(): DocumentExample[] }
  | { kind: 'text'; name: string; documents(): Promise<Document[]> };

/** Which rows a JSONL object or a Parquet schema holds, from its field names. */
function kindOf(fields: readonly string[]): RowInput['kind'] {
  if (fields.includes('input_ids')) return 'token-rows';
  if (fields.includes('sentences')) return 'document-rows';
  return 'text';
}

/** Non-empty lines with their 1-based numbers. */
function* numberedLines(path: string, encoding: TextEncoding): Generator<[string, number]> {
  let n = 0;
  for (const line of readLinesSync(path, encoding)) {
    n++;
    if (line.trim() !== '') yield [line, n];
  }
}

/** The keys of the first row of a JSONL input (none when it is empty or its first row is not an object). */
function firstRowFields(path: string, encoding: TextEncoding): string[] {
  for (const [line] of numberedLines(path, encoding)) {
    try {
      const row = JSON.parse(line) as unknown;
      return row && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : [];
    } catch {
      return []; // the row parser names the line
    }
  }
  return [];
}

// Parquet rows through the same parser as JSON lines (INT64 columns arrive as bigint).
const asJson = (row: Record<string, unknown>): string =>
  JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));

async function parquetRows(path: string, name: string): Promise<{ fields: string[]; lines: string[] }> {
  const file = await openAsyncBuffer(path);
  try {
    const metadata = await parquetMetadataAsync(file).catch((e: Error) => {
      throw new PretextError(`${name}: not a readable Parquet file (${e.message})`);
    });
    const fields = parquetSchema(metadata).children.map((c) => c.element.name);
    if (kindOf(fields) === 'text') return { fields, lines: [] };
    const columns = fields.filter((f) =>
      ['id', 'input_ids', 'word_ids', 'sentences', 'positive_ids', 'negative_ids'].includes(f),
    );
    const rows = await parquetReadObjects({ file, metadata, columns });
    return { fields, lines: rows.map(asJson) };
  } finally {
    await file.close();
  }
}

function fromLines(kind: RowInput['kind'], name: string, lines: Iterable<[string, number]>): RowInput {
  if (kind === 'document-rows') {
    return {
      kind,
      name,
      rows: () => {
        const docs: DocumentExample[] = [];
        for (const [line, n] of lines) docs.push(parseDocumentRow(line, `${name}:${n}`, docs.length));
        return docs;
      },
    };
  }
  return {
    kind: 'token-rows',
    name,
    *rows() {
      for (const [line, n] of lines) {
        const row = parseTokenRow(line, `${name}:${n}`);
        if (row.input_ids.length === 0) throw new PretextError(`${name}:${n}: row has no tokens`);
        yield row;
      }
    },
  };
}

/** Open transform's --in (a path, a folder or '-'). Text inputs are read when `documents()` is called. */
export async function openRowInput(path: string, opts: CorpusOptions): Promise<RowInput> {
  const name = path === '-' ? STDIN : path;
  const text: RowInput = { kind: 'text', name, documents: () => collectDocuments(openCorpus(path, opts)) };
  if (path !== '-' && !existsSync(path)) throw new PretextError(`no such file: ${path}`);
  if (path !== '-' && !isFile(path)) return text; // a folder of .txt files
  const format = fileFormat(path);
  if (format === 'text') return text;
  const encoding = opts.encoding ?? 'utf-8';
  if (format === 'jsonl') {
    const kind = kindOf(firstRowFields(path, encoding));
    return kind === 'text' ? text : fromLines(kind, name, numberedLines(path, encoding));
  }
  const { fields, lines } = await parquetRows(path, name);
  const kind = kindOf(fields);
  return kind === 'text'
    ? text
    : fromLines(
        kind,
        `${name} row`,
        lines.map((l, i) => [l, i] as [string, number]),
      );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
