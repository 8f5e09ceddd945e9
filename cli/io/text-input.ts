// Where a command's text comes from: the argument, a file or folder (--in FILE: plain text, JSONL, Parquet), or
// standard input ('-' as the argument or as --in). The flags are shared by show, transform and tokenizer encode.
import type { FlagSpec, ParsedArgs } from '../args.js';
import { PretextError } from '../../src/errors.js';
import { sentencesOfText, type Document, type Source } from '../../src/corpus/index.js';
import { TEXT_ENCODINGS, type TextEncoding } from '../../src/corpus/lines.js';
import type { DocumentSeparator } from '../../src/corpus/plain-text.js';
import { openCorpus, type CorpusOptions } from './corpus-files.js';

export const textInputFlags: FlagSpec[] = [
  {
    name: 'in',
    type: 'string',
    help: 'read the text from a file instead of the argument: .txt, a folder of .txt, JSONL, Parquet (told apart by their bytes), or - for standard input',
  },
  { name: 'text-field', type: 'string', default: 'text', help: 'JSONL field holding the text' },
  { name: 'text-column', type: 'string', default: 'text', help: 'Parquet column holding the text' },
  {
    name: 'doc-sep',
    type: 'string',
    default: 'blank-line',
    help: 'where a plain-text document ends: blank-line, line (each line a document), file (the whole file), or a regular expression matching separator lines',
  },
  {
    name: 'encoding',
    type: 'string',
    default: 'utf-8',
    choices: TEXT_ENCODINGS,
    help: 'text bytes: utf-8 (bad bytes replaced with U+FFFD, counted in a warning), utf-8-strict (bad bytes refused), latin1',
  },
];

/** --doc-sep as a separator; a regex that does not compile is a user error. */
export function docSepOf(value: string): DocumentSeparator {
  if (value === 'blank-line' || value === 'line' || value === 'file') return value;
  try {
    return new RegExp(value);
  } catch (e) {
    throw new PretextError(
      `--doc-sep must be blank-line, line, file or a regular expression; '${value}' is not one (${(e as Error).message})`,
    );
  }
}

export function corpusOptionsOf(args: ParsedArgs): CorpusOptions {
  const f = args.flags;
  return {
    textField: f['text-field'] as string,
    textColumn: f['text-column'] as string,
    docSep: docSepOf(f['doc-sep'] as string),
    encoding: f.encoding as TextEncoding,
  };
}

/** The input named by --in or by a lone '-' argument; undefined when the text is the argument itself. */
export function inputPath(args: ParsedArgs): string | undefined {
  const path = args.flags.in as string | undefined;
  if (path !== undefined && args.positionals.length)
    throw new PretextError(
      `give the text as an argument or with --in, not both (--in ${path} and '${args.positionals[0]}')`,
    );
  if (path === '') throw new PretextError('--in needs a file name (or - for standard input)');
  if (args.positionals.length === 1 && args.positionals[0] === '-') return '-';
  return path;
}

/** The argument's text as one document ("text"); empty text is a user error naming `example`. */
export function argumentDocument(args: ParsedArgs, example: string): Document {
  const text = args.positionals.join(' ');
  if (text.trim() === '')
    throw new PretextError(
      `empty text: give the text as an argument, with --in FILE, or - for standard input, e.g. ${example}`,
    );
  return { id: 'text', sentences: sentencesOfText(text), meta: {} };
}

/** The documents of the command's text: the argument (one document), --in FILE or '-' (a corpus). */
export function textDocuments(args: ParsedArgs, example: string): Source<Document> {
  const path = inputPath(args);
  if (path === undefined) return [argumentDocument(args, example)];
  return openCorpus(path, corpusOptionsOf(args));
}

/**
 * The texts a command shows: the argument's raw text, or the first `max` documents of --in / '-' (each its
 * sentences joined by spaces); `more` says whether the input held further documents.
 */
export async function firstTexts(
  args: ParsedArgs,
  max: number,
  example: string,
): Promise<{ texts: string[]; more: boolean }> {
  if (inputPath(args) === undefined) {
    const text = args.positionals.join(' ');
    argumentDocument(args, example); // empty text is an error
    return { texts: [text], more: false };
  }
  const texts: string[] = [];
  for await (const doc of textDocuments(args, example)) {
    if (texts.length === max) return { texts, more: true };
    texts.push(doc.sentences.join(' '));
  }
  return { texts, more: false };
}
