// Plain text: lines grouped into documents by a separator (a blank line by default), each split into sentences.
import type { Document, Source } from './document.js';
import { splitSentences } from './sentence-splitter.js';

/** How a document ends: at a blank line, at every line, only at the end of the file, or at a line matching a regex. */
export type DocumentSeparator = 'blank-line' | 'line' | 'file' | RegExp;

export interface TextOptions {
  /** Names the input in ids and meta (a file's path relative to the corpus root). Default "text". */
  source?: string;
  /** Default 'blank-line'. A regex separator line is dropped; blank lines inside its documents break paragraphs. */
  docSep?: DocumentSeparator;
}

/**
 * Documents from lines. With 'blank-line' a blank (or whitespace-only) line ends a document and the lines inside
 * one are joined with spaces; 'line' makes each non-blank line a document; 'file' makes the whole input one
 * document; a RegExp ends a document at each line it matches. Sentences never cross a blank line.
 * id: `${source}#${k}` for the k-th document; meta: { file: source, line } with `line` 1-based (its first line).
 */
export async function* documentsFromLines(lines: Source<string>, opts: TextOptions = {}): AsyncGenerator<Document> {
  const source = opts.source ?? 'text';
  const sep = opts.docSep ?? 'blank-line';
  let paragraphs: string[][] = [[]];
  let firstLine = 0;
  let lineNo = 0;
  let k = 0;
  const flush = (): Document | undefined => {
    const sentences = paragraphs.flatMap((p) => splitSentences(p.join(' ')));
    const line = firstLine;
    paragraphs = [[]];
    firstLine = 0;
    if (sentences.length === 0) return undefined;
    return { id: `${source}#${k++}`, sentences, meta: { file: source, line } };
  };
  for await (const line of lines) {
    lineNo++;
    const blank = line.trim() === '';
    const ends = sep === 'blank-line' ? blank : sep instanceof RegExp ? sep.test(line) : false;
    if (ends) {
      const doc = flush();
      if (doc) yield doc;
      continue;
    }
    if (blank) {
      if (paragraphs[paragraphs.length - 1].length > 0) paragraphs.push([]);
      continue;
    }
    if (firstLine === 0) firstLine = lineNo;
    paragraphs[paragraphs.length - 1].push(line);
    if (sep === 'line') {
      const doc = flush();
      if (doc) yield doc;
    }
  }
  const doc = flush();
  if (doc) yield doc;
}
