// Corpus spec -> streaming documents: 'brown', a folder of .txt files, or one .txt / .jsonl / .json / .parquet file.
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { nonEmpty } from '../../src/corpus/document.js';
import type { Document } from '../../src/corpus/document.js';
import { documentsFromJsonl } from '../../src/corpus/jsonl.js';
import { documentsFromParquet } from '../../src/corpus/parquet.js';
import { documentsFromLines } from '../../src/corpus/plain-text.js';
import { loadBrown } from './brown-files.js';
import { openAsyncBuffer, readLines } from './file-access.js';

export interface CorpusOptions {
  /** JSONL field / parquet column holding the text. Default "text". */
  textField?: string;
  /** JSONL field / parquet column holding the id. Default "id". */
  idField?: string;
}

const JSONL_EXTS = new Set(['.jsonl', '.json', '.ndjson']);

/**
 * Open a corpus by spec, streaming: 'brown' | DIR (every .txt inside, recursively, sorted by path) | FILE.txt |
 * FILE.jsonl/.json/.ndjson (JSON lines) | FILE.parquet. A missing path ("no such file: PATH") or another extension
 * throws here; a corpus without a document throws "empty corpus: SPEC" when its stream ends.
 */
export function openCorpus(spec: string, opts: CorpusOptions = {}): AsyncIterable<Document> {
  if (spec === 'brown') return nonEmpty(loadBrown(), spec);
  const stats = statSync(spec, { throwIfNoEntry: false });
  if (!stats) throw new PretextError(`no such file: ${spec}`);
  if (stats.isDirectory()) return nonEmpty(textFolderDocuments(spec), spec);
  const ext = extname(spec).toLowerCase();
  const source = basename(spec);
  const fields = { textField: opts.textField, idField: opts.idField };
  if (ext === '.txt') return nonEmpty(documentsFromLines(readLines(spec), { source }), spec);
  if (JSONL_EXTS.has(ext)) return nonEmpty(documentsFromJsonl(readLines(spec), { source, ...fields }), spec);
  if (ext === '.parquet') {
    return nonEmpty(parquetDocuments(spec, { source, textColumn: fields.textField, idColumn: fields.idField }), spec);
  }
  throw new PretextError(`unknown corpus "${spec}": expected brown, a folder, or a .txt, .jsonl, .json or .parquet file`);
}

/** Every .txt file under `dir`, recursively, as sorted '/'-separated paths relative to `dir`. */
export async function listTextFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.txt'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

async function* textFolderDocuments(dir: string): AsyncGenerator<Document> {
  for (const file of await listTextFiles(dir)) {
    yield* documentsFromLines(readLines(join(dir, file)), { source: file });
  }
}

async function* parquetDocuments(path: string, opts: Parameters<typeof documentsFromParquet>[1]): AsyncGenerator<Document> {
  const file = await openAsyncBuffer(path);
  try {
    yield* documentsFromParquet(file, opts);
  } finally {
    await file.close();
  }
}
