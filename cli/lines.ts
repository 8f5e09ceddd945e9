// Synchronous, streaming line reading: a file larger than memory is read in pieces.
import { closeSync, openSync, readSync, existsSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { PretextError } from '../src/errors.js';

/** Open a file for reading, with a one-line error for a missing path or a directory. */
function openForReading(path: string): number {
  if (!existsSync(path)) throw new PretextError(`no such file: ${path}`);
  if (statSync(path).isDirectory()) throw new PretextError(`${path} is a directory, not a file`);
  return openSync(path, 'r');
}

/** Lines of a UTF-8 file (without the newline), read 1 MiB at a time. */
export function* readLinesSync(path: string): Generator<string> {
  const fd = openForReading(path);
  const buf = Buffer.allocUnsafe(1 << 20);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      pending += decoder.write(buf.subarray(0, n));
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        yield pending.charCodeAt(nl - 1) === 13 ? pending.slice(start, nl - 1) : pending.slice(start, nl);
        start = nl + 1;
      }
      pending = pending.slice(start);
    }
    pending += decoder.end();
    if (pending.length > 0) yield pending;
  } finally {
    closeSync(fd);
  }
}
