// Node file access for corpora and rows: the first bytes of a file (to tell its format), line streams and parquet
// byte ranges (never a whole file in memory), standard input, and the warning for bytes that are not UTF-8.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { AsyncBuffer } from 'hyparquet';
import { PretextError } from '../../src/errors.js';
import { linesFromChunks, type DecodeOptions, type TextEncoding } from '../../src/corpus/lines.js';

/** The name standard input goes by in messages and ids. */
export const STDIN = 'stdin';

/** stat(path), or PretextError "no such file: PATH". */
export async function statPath(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PretextError(`no such file: ${path}`);
    throw err;
  }
}

/** Up to `n` first bytes of a file. */
export function readHead(path: string, n = 4096): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

let stdinBytes: Uint8Array | undefined;

/** All of standard input (read once per process; a terminal reads until Ctrl-D). */
export function readStdin(): Uint8Array {
  if (!stdinBytes) {
    if (process.stdin.isTTY) process.stderr.write('pretext: reading text from the terminal; end it with Ctrl-D\n');
    stdinBytes = new Uint8Array(readFileSync(0));
  }
  return stdinBytes;
}

/** The warning (utf-8) or the error hint (utf-8-strict) for bytes that are not UTF-8. */
export function reportInvalidBytes(source: string, invalidBytes: number): void {
  if (invalidBytes === 0) return;
  process.stderr.write(
    `pretext: warning: ${source}: ${invalidBytes} byte${invalidBytes === 1 ? ' is' : 's are'} not valid UTF-8, replaced with U+FFFD (--encoding latin1 reads it as Latin-1, --encoding utf-8-strict refuses it)\n`,
  );
}

/** Rethrow a utf-8-strict refusal with what to do about it. */
export function withEncodingHint(e: unknown): never {
  if (e instanceof PretextError && / is not valid UTF-8$/.test(e.message)) {
    throw new PretextError(
      `${e.message} (--encoding latin1 reads it as Latin-1; --encoding utf-8 replaces bad bytes with U+FFFD)`,
    );
  }
  throw e;
}

async function* hinted(lines: AsyncGenerator<string>): AsyncGenerator<string> {
  try {
    yield* lines;
  } catch (e) {
    withEncodingHint(e);
  }
}

/** The lines of a text file (or of standard input for '-'), read in 64 KiB chunks, decoded as `encoding` says. */
export function readLines(path: string, encoding: TextEncoding = 'utf-8'): AsyncGenerator<string> {
  const source = path === '-' ? STDIN : path;
  const opts: DecodeOptions = { encoding, source };
  const report = (n: number) => reportInvalidBytes(source, n);
  if (path === '-') return hinted(linesFromChunks([readStdin()], opts, report));
  if (!statSync(path, { throwIfNoEntry: false })) throw new PretextError(`no such file: ${path}`);
  return hinted(linesFromChunks(createReadStream(path, { highWaterMark: 1 << 16 }), opts, report));
}

/** An AsyncBuffer over bytes in memory (Parquet from standard input). */
export function memoryAsyncBuffer(bytes: Uint8Array): AsyncBuffer & { close(): Promise<void> } {
  return {
    byteLength: bytes.length,
    async slice(start: number, end: number = bytes.length): Promise<ArrayBuffer> {
      return bytes.slice(start, end).buffer;
    },
    close: async () => undefined,
  };
}

/** An AsyncBuffer over an open file (or standard input for '-'): each slice is one positioned read. Call `close` when done. */
export async function openAsyncBuffer(path: string): Promise<AsyncBuffer & { close(): Promise<void> }> {
  if (path === '-') return memoryAsyncBuffer(readStdin());
  const { size } = await statPath(path);
  const handle = await open(path, 'r');
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const bytes = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      for (let off = 0; off < bytes.length; ) {
        const { bytesRead } = await handle.read(bytes, off, bytes.length - off, start + off);
        if (bytesRead === 0) throw new PretextError(`${path}: file shrank while reading`);
        off += bytesRead;
      }
      return bytes.buffer;
    },
    close: () => handle.close(),
  };
}
