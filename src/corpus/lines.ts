// Bytes -> lines, incrementally: only the current chunk and one partial line are held. UTF-8 is checked as it is
// decoded: bad bytes are replaced with U+FFFD and counted, or refused (utf-8-strict); latin1 reads any byte.
import { PretextError } from '../errors.js';
import type { Source } from './document.js';

/** utf-8: invalid bytes become U+FFFD and are counted; utf-8-strict: the first one throws; latin1: windows-1252. */
export type TextEncoding = 'utf-8' | 'utf-8-strict' | 'latin1';
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-8-strict', 'latin1'];

export interface DecodeOptions {
  encoding?: TextEncoding;
  /** names the input in errors. Default "input". */
  source?: string;
}

/**
 * Counts the bytes that are not part of a well-formed UTF-8 sequence (the WHATWG decoder's maximal subparts: a
 * broken sequence's bytes so far are bad, the byte that broke it starts again), across chunk boundaries.
 */
export class Utf8Check {
  invalidBytes = 0;
  /** offset of the first bad byte, -1 while there is none */
  firstInvalidAt = -1;
  private offset = 0;
  private need = 0;
  private seen = 0;
  private lo = 0x80;
  private hi = 0xbf;

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++, this.offset++) {
      const b = bytes[i];
      if (this.need === 0) {
        if (b < 0x80) continue;
        this.lead(b);
      } else if (b >= this.lo && b <= this.hi) {
        [this.lo, this.hi] = [0x80, 0xbf];
        this.seen++;
        if (--this.need === 0) this.seen = 0;
      } else {
        this.bad(this.seen, this.offset - this.seen);
        this.need = this.seen = 0;
        if (b >= 0x80) this.lead(b);
      }
    }
  }

  /** The input ended: an unfinished sequence is bad. */
  end(): void {
    if (this.need > 0) this.bad(this.seen, this.offset - this.seen);
    this.need = this.seen = 0;
  }

  private lead(b: number): void {
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (n === 0) {
      this.bad(1, this.offset);
      return;
    }
    [this.need, this.seen] = [n, 1];
    this.lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    this.hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
  }

  private bad(n: number, at: number): void {
    if (this.firstInvalidAt < 0) this.firstInvalidAt = at;
    this.invalidBytes += n;
  }
}

/** Decodes chunks and splits them into lines without their "\n" / "\r\n"; a leading BOM is dropped. */
export class LineDecoder {
  readonly check: Utf8Check | undefined;
  private readonly decoder: TextDecoder;
  private partial = '';

  constructor(private readonly opts: DecodeOptions = {}) {
    const encoding = opts.encoding ?? 'utf-8';
    this.decoder = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8');
    this.check = encoding === 'latin1' ? undefined : new Utf8Check();
  }

  /** Invalid UTF-8 bytes seen so far (0 for latin1). */
  get invalidBytes(): number {
    return this.check?.invalidBytes ?? 0;
  }

  push(chunk: Uint8Array): string[] {
    this.validate(chunk);
    return this.split(this.decoder.decode(chunk, { stream: true }));
  }

  /** The final line (if the input did not end with a newline). */
  end(): string[] {
    this.check?.end();
    this.validate(new Uint8Array(0));
    const lines = this.split(this.decoder.decode());
    if (this.partial !== '') lines.push(stripCr(this.partial));
    this.partial = '';
    return lines;
  }

  private validate(chunk: Uint8Array): void {
    if (!this.check) return;
    this.check.feed(chunk);
    if (this.opts.encoding === 'utf-8-strict' && this.check.invalidBytes > 0) {
      throw new PretextError(`${this.opts.source ?? 'input'}: byte ${this.check.firstInvalidAt} is not valid UTF-8`);
    }
  }

  private split(text: string): string[] {
    const lines: string[] = [];
    let partial = this.partial + text;
    let from = 0;
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n', from)) {
      lines.push(stripCr(partial.slice(from, nl)));
      from = nl + 1;
    }
    partial = partial.slice(from);
    this.partial = partial;
    return lines;
  }
}

/**
 * Decode chunks (a file stream, a fetch body) and yield lines without their "\n" / "\r\n". A leading BOM is dropped;
 * a final line without "\n" is yielded; an empty input yields nothing. `onDone` gets the count of invalid UTF-8 bytes.
 */
export async function* linesFromChunks(
  chunks: Source<Uint8Array>,
  opts: DecodeOptions = {},
  onDone?: (invalidBytes: number) => void,
): AsyncGenerator<string> {
  const decoder = new LineDecoder(opts);
  for await (const chunk of chunks) yield* decoder.push(chunk);
  yield* decoder.end();
  onDone?.(decoder.invalidBytes);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
