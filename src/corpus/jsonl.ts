// JSON Lines: one JSON object per line, each a document; its text is split into paragraphs and sentences.
import { PretextError } from '../errors.js';
import type { Document, Source } from './document.js';
import { sentencesOfText } from './sentence-splitter.js';

export interface JsonlOptions {
  /** Names the input in ids, meta and errors. Default "jsonl". */
  source?: string;
  /** Field holding the text. Default "text". */
  textField?: string;
  /** Field holding the id (string or number); rows without one get `${source}:${line}`. Default "id". */
  idField?: string;
}

/**
 * Documents from JSONL lines. Blank lines are skipped; rows whose text has no sentences are skipped.
 * meta: the row's other fields, plus { file: source, line }. Bad JSON, a non-object row or a missing/non-string
 * text field -> PretextError "SOURCE:LINE: ...".
 */
export async function* documentsFromJsonl(lines: Source<string>, opts: JsonlOptions = {}): AsyncGenerator<Document> {
  const source = opts.source ?? 'jsonl';
  const textField = opts.textField ?? 'text';
  const idField = opts.idField ?? 'id';
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const where = `${source}:${lineNo}`;
    const row = parseRow(line, where);
    const { [textField]: text, [idField]: rawId, ...rest } = row;
    if (typeof text !== 'string') {
      throw new PretextError(`${where}: field "${textField}" ${text === undefined ? 'is missing' : 'is not a string'}`);
    }
    const sentences = sentencesOfText(text);
    if (sentences.length === 0) continue;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : where;
    yield { id, sentences, meta: { ...rest, file: source, line: lineNo } };
  }
}

function parseRow(line: string, where: string): Record<string, unknown> {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (err) {
    throw new PretextError(`${where}: malformed JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new PretextError(`${where}: expected a JSON object per line`);
  }
  return row as Record<string, unknown>;
}
