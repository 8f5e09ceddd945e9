// Plain text: paragraphs separated by blank lines, one document per paragraph.
import type { Document, Source } from './document.js';
import { splitSentences } from './sentence-splitter.js';

export interface TextOptions {
  /** Names the input in ids and meta (a file's path relative to the corpus root). Default "text". */
  source?: string;
}

/**
 * Documents from lines: a blank (or whitespace-only) line ends a document; lines inside one are joined with spaces.
 * id: `${source}#${k}` for the k-th document; meta: { file: source, line } with `line` 1-based (its first line).
 */
export async function* documentsFromLines(lines: Source<string>, opts: TextOptions = {}): AsyncGenerator<Document> {
  const source = opts.source ?? 'text';
  let buffer: string[] = [];
  let firstLine = 0;
  let lineNo = 0;
  let k = 0;
  const flush = (): Document | undefined => {
    const sentences = splitSentences(buffer.join(' '));
    buffer = [];
    if (sentences.length === 0) return undefined;
    return { id: `${source}#${k++}`, sentences, meta: { file: source, line: firstLine } };
  };
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') {
      const doc = flush();
      if (doc) yield doc;
      continue;
    }
    if (buffer.length === 0) firstLine = lineNo;
    buffer.push(line);
  }
  const doc = flush();
  if (doc) yield doc;
}
