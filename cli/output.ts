// File output that never leaves a half-written file: write to a temporary sibling, rename on success.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { PretextError } from '../src/errors.js';

/** Refuse an output file path that names a folder (`--out runs/` for a file), before any work is done. */
export function checkOutputFile(path: string, flag = '--out'): void {
  if (path === '-') return; // standard output
  const stats = statOrNothing(path);
  if (stats?.isDirectory() || /[\\/]$/.test(path))
    throw new PretextError(`${flag} ${path} is a folder; give a file name, e.g. ${join(path, 'out.jsonl')}`);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const up = statOrNothing(dir);
    if (up && !up.isDirectory()) throw new PretextError(`${flag} ${path}: ${dir} is a file, not a folder`);
    if (up || dirname(dir) === dir) break;
  }
}

function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR: a parent is a file, found by the walk up
  }
}

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

// Writers still open when the process exits (an error, Ctrl-C) remove their temp files; one listener for all.
const open = new Set<SyncAtomicWriter>();
let exitHook = false;

/** Buffered synchronous writer (text or bytes) to a temp file, renamed into place by commit(); abort() removes it. */
export class SyncAtomicWriter implements OutputWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private chunks: (string | Uint8Array)[] = [];
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
    open.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const w of [...open]) w.abort();
      });
    }
  }

  /** Bytes written so far (flushed or buffered); for text, UTF-16 units. */
  written = 0;

  write(s: string | Uint8Array): void {
    this.chunks.push(s);
    this.size += s.length;
    this.written += s.length;
    if (this.size >= 1 << 20) this.flush();
  }

  /** Overwrite bytes at `position` (already flushed or not), e.g. a header whose counts are known at the end. */
  writeAt(bytes: Uint8Array, position: number): void {
    this.flush();
    writeSync(this.fd, bytes, 0, bytes.length, position);
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    if (this.chunks.every((c) => typeof c === 'string')) writeSync(this.fd, this.chunks.join(''));
    else for (const c of this.chunks) typeof c === 'string' ? writeSync(this.fd, c) : writeSync(this.fd, c);
    this.chunks = [];
    this.size = 0;
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    this.done = true;
    open.delete(this);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    open.delete(this);
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}

/** Where a command's rows go: a file written atomically, or standard output. */
export interface OutputWriter {
  write(s: string): void;
  commit(): void;
  abort(): void;
}

/** Standard output, buffered in 1 MiB pieces (writes to pipes and files are synchronous on Linux and macOS). */
class StdoutWriter implements OutputWriter {
  private chunks: string[] = [];
  private size = 0;

  write(s: string): void {
    this.chunks.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.commit();
  }

  commit(): void {
    if (this.chunks.length) process.stdout.write(this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  abort(): void {
    this.chunks = [];
    this.size = 0;
  }
}

/** --out FILE (atomic: nothing is left behind on failure) or, without one or with '-', standard output. */
export function openOutput(path: string | undefined): OutputWriter {
  return path === undefined || path === '-' ? new StdoutWriter() : new SyncAtomicWriter(path);
}
