// The per-sequence and per-document columns of a token stream's index (sequence lengths, byte pointers, offsets,
// document starts), written as they arrive in fixed-size blocks, so memory does not grow with the corpus: a column
// goes straight into its output file where it can, or into a side file (a temp file beside the outputs) that is
// copied into place at the end. Numbers are little-endian int32 or int64 (non-negative, below 2^53).
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PretextError } from '../../src/errors.js';

/** Where a column's bytes go, a block at a time (each call gets bytes of its own). */
export type ByteSink = (bytes: Uint8Array) => void;

export type ColumnKind = 'int32' | 'int64';

/** Values gathered before one write: 64 Ki values, 256 KiB (int32) or 512 KiB (int64). */
export const COLUMN_BLOCK_VALUES = 1 << 16;

const TWO_32 = 2 ** 32;

/** One column of numbers, handed to its sink a block at a time. */
export class BlockColumn {
  private readonly block: Int32Array | Uint32Array;
  private filled = 0;
  /** values pushed so far */
  count = 0;

  constructor(
    readonly kind: ColumnKind,
    private readonly sink: ByteSink,
    private readonly blockValues = COLUMN_BLOCK_VALUES,
  ) {
    this.block = kind === 'int32' ? new Int32Array(blockValues) : new Uint32Array(2 * blockValues);
  }

  push(v: number): void {
    if (this.filled === this.blockValues) this.flush();
    if (this.kind === 'int32') this.block[this.filled] = v;
    else {
      const lo = v % TWO_32; // little-endian halves of a non-negative integer below 2^53
      this.block[2 * this.filled] = lo;
      this.block[2 * this.filled + 1] = (v - lo) / TWO_32;
    }
    this.filled++;
    this.count++;
  }

  flush(): void {
    if (this.filled === 0) return;
    const bytes = this.filled * (this.kind === 'int32' ? 4 : 8);
    this.sink(new Uint8Array(this.block.buffer, 0, bytes).slice());
    this.filled = 0;
  }
}

// Side files still open when the process exits (an error, Ctrl-C) are removed; one listener for all.
const open = new Set<SideFile>();
let exitHook = false;

/**
 * A temp file beside an output ('.NAME.PART.PID.tmp', the pattern a re-run's stale-temp sweep removes) that holds
 * a column until the output it belongs to is assembled.
 */
export class SideFile {
  private readonly fd: number;
  private size = 0;
  private removed = false;
  readonly path: string;

  constructor(output: string, part: string) {
    this.path = join(dirname(output), `.${basename(output)}.${part}.${process.pid}.tmp`);
    try {
      this.fd = openSync(this.path, 'w+');
    } catch (e) {
      throw new PretextError(`cannot write ${this.path}: ${(e as Error).message.split('\n')[0]}`);
    }
    open.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const f of [...open]) f.remove();
      });
    }
  }

  readonly write: ByteSink = (bytes) => {
    writeSync(this.fd, bytes, 0, bytes.length, this.size);
    this.size += bytes.length;
  };

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  /**
   * Hand everything written to `write` in pieces of `chunkBytes` with each piece's offset in this file, through one
   * buffer reused from piece to piece (so `write` must be done with the bytes when it returns: a positioned write).
   */
  copyTo(write: (bytes: Uint8Array, at: number) => void, chunkBytes = 1 << 20): void {
    const buffer = new Uint8Array(Math.min(chunkBytes, Math.max(this.size, 1)));
    for (let at = 0; at < this.size; ) {
      const piece = buffer.subarray(0, Math.min(buffer.length, this.size - at));
      const n = readSync(this.fd, piece, 0, piece.length, at);
      if (n !== piece.length) throw new Error(`${this.path}: read ${n} of ${piece.length} bytes`);
      write(piece, at);
      at += n;
    }
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    open.delete(this);
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.path, { force: true });
  }
}

/** Reads a column of int32 or int64 numbers from `offset` in an open file, front to back, a block at a time. */
export class ColumnReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private have = 0;
  private next = 0;
  private position: number;
  private readonly item: number;

  constructor(
    private readonly fd: number,
    offset: number,
    readonly kind: ColumnKind,
    blockValues = COLUMN_BLOCK_VALUES,
  ) {
    this.item = kind === 'int32' ? 4 : 8;
    this.bytes = new Uint8Array(blockValues * this.item);
    this.view = new DataView(this.bytes.buffer);
    this.position = offset;
  }

  read(): number {
    if (this.next === this.have) {
      const n = readSync(this.fd, this.bytes, 0, this.bytes.length, this.position);
      if (n < this.item) throw new PretextError('a prepared index ends early (truncated file)');
      this.have = n - (n % this.item);
      this.position += this.have;
      this.next = 0;
    }
    const at = this.next;
    this.next += this.item;
    return this.item === 4 ? this.view.getInt32(at, true) : Number(this.view.getBigInt64(at, true));
  }
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
export function readHead(path: string, bytes: number): Uint8Array {
  const head = new Uint8Array(bytes);
  const fd = openSync(path, 'r');
  try {
    return head.subarray(0, readSync(fd, head, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
