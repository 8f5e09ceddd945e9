// Corpus spec -> streaming documents: 'brown', a folder of .txt files, one file (plain text, JSON lines or Parquet,
// told apart by its first bytes, not only its name), or '-' for standard input.
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { nonEmpty } from '../../src/corpus/document.js';
import type { Document } from '../../src/corpus/document.js';
import { formatOf, sniffFormat, type FileFormat } from '../../src/corpus/format.js';
import { documentsFromJsonl } from '../../src/corpus/jsonl.js';
import type { TextEncoding } from '../../src/corpus/lines.js';
import { documentsFromParquet } from '../../src/corpus/parquet.js';
import { documentsFromLines, type DocumentSeparator } from '../../src/corpus/plain-text.js';
import { loadBrown } from './brown-files.js';
import { STDIN, openAsyncBuffer, readHead, readLines, readStdin } from './file-access.js';

export interface CorpusOptions {
  /** JSONL field holding the text. Default "text". */
  textField?: string;
  /** Parquet column holding the text. Default: textField, else "text". */
  textColumn?: string;
  /** JSONL field / parquet column holding the id. Default "id". */
  idField?: string;
  /** How a plain-text document ends. Default 'blank-line'. */
  docSep?: DocumentSeparator;
  /** How text bytes are decoded. Default 'utf-8' (bad bytes replaced and counted in a warning). */
  encoding?: TextEncoding;
}

/**
 * The format of a file or of standard input ('-'), from its first bytes and its name; a file that is none of
 * text, JSONL and Parquet (gzip, zip, UTF-16, binary) is refused naming what it is. A name that disagrees with
 * the bytes is noted on stderr.
 */
export function fileFormat(spec: string): FileFormat {
  const name = spec === '-' ? STDIN : spec;
  const head = spec === '-' ? readStdin().subarray(0, 4096) : readHead(spec);
  const found = spec === '-' ? sniffFormat(head) : formatOf(basename(spec), head);
  if ('unreadable' in found)
    throw new PretextError(`${name}: ${found.unreadable}; pretext reads plain text, JSONL or Parquet`);
  if ('note' in found && found.note) process.stderr.write(`pretext: note: ${found.note}\n`);
  return found.format;
}

/**
 * Open a corpus by spec, streaming: 'brown' | DIR (every .txt inside, recursively, sorted by path) | FILE (text,
 * JSONL or Parquet by its bytes) | '-' (standard input, read whole). A missing path ("no such file: PATH") or an
 * unreadable format throws here; a corpus without a document throws "empty corpus: SPEC" when its stream ends.
 */
export function openCorpus(spec: string, opts: CorpusOptions = {}): AsyncIterable<Document> {
  if (spec === 'brown') return nonEmpty(loadBrown(), spec);
  const name = spec === '-' ? STDIN : spec;
  if (spec !== '-') {
    const stats = statSync(spec, { throwIfNoEntry: false });
    if (!stats) throw new PretextError(`no such file: ${spec}`);
    if (stats.isDirectory()) return nonEmpty(textFolderDocuments(spec, opts), spec);
  }
  const source = spec === '-' ? STDIN : basename(spec);
  switch (fileFormat(spec)) {
    case 'text':
      return nonEmpty(documentsFromLines(readLines(spec, opts.encoding), { source, docSep: opts.docSep }), name);
    case 'jsonl':
      return nonEmpty(
        documentsFromJsonl(readLines(spec, opts.encoding), {
          source,
          textField: opts.textField,
          idField: opts.idField,
        }),
        name,
      );
    case 'parquet':
      return nonEmpty(
        parquetDocuments(spec, { source, textColumn: opts.textColumn ?? opts.textField, idColumn: opts.idField }),
        name,
      );
  }
}

/** Every .txt file under `dir`, recursively, as sorted '/'-separated paths relative to `dir`. */
export async function listTextFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.txt'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

async function* textFolderDocuments(dir: string, opts: CorpusOptions): AsyncGenerator<Document> {
  for (const file of await listTextFiles(dir)) {
    yield* documentsFromLines(readLines(join(dir, file), opts.encoding), { source: file, docSep: opts.docSep });
  }
}

async function* parquetDocuments(
  path: string,
  opts: Parameters<typeof documentsFromParquet>[1],
): AsyncGenerator<Document> {
  const file = await openAsyncBuffer(path);
  try {
    yield* documentsFromParquet(file, opts);
  } finally {
    await file.close();
  }
}
