// Synchronous, streaming line reading (transform's rows): a file larger than memory is read in pieces; '-' reads
// standard input. Decoding and the UTF-8 check are src/corpus/lines.ts's, as for corpora.
import { closeSync, openSync, readSync, existsSync, statSync } from 'node:fs';
import { PretextError } from '../src/errors.js';
import { LineDecoder, type TextEncoding } from '../src/corpus/lines.js';
import { STDIN, readStdin, reportInvalidBytes, withEncodingHint } from './io/file-access.js';

/** Open a file for reading, with a one-line error for a missing path or a directory. */
function openForReading(path: string): number {
  if (!existsSync(path)) throw new PretextError(`no such file: ${path}`);
  if (statSync(path).isDirectory()) throw new PretextError(`${path} is a directory, not a file`);
  return openSync(path, 'r');
}

function* chunksOf(path: string): Generator<Uint8Array> {
  if (path === '-') {
    yield readStdin();
    return;
  }
  const fd = openForReading(path);
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null))
      yield buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Lines of a text file or of standard input ('-'), without the newline, read 1 MiB at a time. */
export function* readLinesSync(path: string, encoding: TextEncoding = 'utf-8'): Generator<string> {
  const source = path === '-' ? STDIN : path;
  const decoder = new LineDecoder({ encoding, source });
  try {
    for (const chunk of chunksOf(path)) yield* decoder.push(chunk);
    yield* decoder.end();
  } catch (e) {
    withEncodingHint(e);
  }
  reportInvalidBytes(source, decoder.invalidBytes);
}
