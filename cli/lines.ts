// Synchronous, streaming line reading and buffered writing: a file larger than memory is read in pieces.
import { closeSync, openSync, readSync, writeSync, existsSync, statSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { basename, dirname, join } from 'node:path';
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

/** Buffered synchronous writer to a temp file, renamed into place by commit(); abort() removes it. */
export class SyncAtomicWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private chunks: string[] = [];
  private size = 0;
  private done = false;

  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new PretextError(`cannot write ${path}: ${(e as Error).message.split('\n')[0]}`);
    }
    process.once('exit', () => this.abort());
  }

  write(s: string): void {
    this.chunks.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.chunks.length) writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}
