// Node file access for corpora: line streams and parquet byte ranges, never a whole file in memory.
import { createReadStream, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { AsyncBuffer } from 'hyparquet';
import { PretextError } from '../../src/errors.js';
import { linesFromChunks } from '../../src/corpus/lines.js';

/** stat(path), or PretextError "no such file: PATH". */
export async function statPath(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PretextError(`no such file: ${path}`);
    throw err;
  }
}

/** The lines of a UTF-8 text file, read in 64 KiB chunks. Missing file -> PretextError "no such file: PATH". */
export function readLines(path: string): AsyncGenerator<string> {
  if (!statSync(path, { throwIfNoEntry: false })) throw new PretextError(`no such file: ${path}`);
  return linesFromChunks(createReadStream(path, { highWaterMark: 1 << 16 }));
}

/** An AsyncBuffer over an open file: each slice is one positioned read. Call `close` when done. */
export async function openAsyncBuffer(path: string): Promise<AsyncBuffer & { close(): Promise<void> }> {
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
