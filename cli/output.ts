// File output that never leaves a half-written file: write to a temporary sibling, rename on success.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { PretextError } from '../src/errors.js';

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Write `data` to `path` atomically (temp file + rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new PretextError(`cannot write ${path}: ${(e as Error).message.split('\n')[0]}`);
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
      this.tmp = tempPath(path);
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
