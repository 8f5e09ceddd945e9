// File output that never leaves a half-written file: write to a temporary sibling, rename on success.
import { createWriteStream, renameSync, rmSync, writeFileSync, mkdirSync, type WriteStream } from 'node:fs';
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

/** A streaming writer to a temp file; `commit()` renames it into place, `abort()` removes it. */
export class AtomicWriter {
  private readonly stream: WriteStream;
  private readonly tmp: string;
  private failed: Error | undefined;

  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new PretextError(`cannot write ${path}: ${(e as Error).message.split('\n')[0]}`);
    }
    this.tmp = tempPath(path);
    this.stream = createWriteStream(this.tmp);
    this.stream.on('error', (e) => (this.failed = e));
    process.once('exit', () => rmSync(this.tmp, { force: true }));
  }

  /** Write a chunk; resolves when the stream can take more (back-pressure). */
  async write(chunk: string): Promise<void> {
    if (this.failed) throw new PretextError(`cannot write ${this.path}: ${this.failed.message}`);
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.failed) throw new PretextError(`cannot write ${this.path}: ${this.failed.message}`);
    renameSync(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    rmSync(this.tmp, { force: true });
  }
}
