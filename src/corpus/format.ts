// What a file holds, from its first bytes: Parquet (magic PAR1), JSON lines, plain text, or something pretext cannot
// read (compressed, an archive, UTF-16, binary), named so the user knows what to do with it.
export type FileFormat = 'text' | 'jsonl' | 'parquet';

export type Sniffed = { format: FileFormat } | { unreadable: string };

const MAGICS: [number[], string][] = [
  [[0x1f, 0x8b], 'gzip-compressed (decompress it first: gunzip FILE)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed (decompress it first: zstd -d FILE)'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed (decompress it first: bunzip2 FILE)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed (decompress it first: unxz FILE)'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive (unzip it first)'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document (extract its text first, e.g. pdftotext FILE)'],
  [[0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], 'an Arrow IPC file (write it as Parquet or JSONL)'],
  [[0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 'a NumPy array (.npy)'],
  [[0xff, 0xfe], 'UTF-16 text (convert it: iconv -f UTF-16 -t UTF-8 FILE)'],
  [[0xfe, 0xff], 'UTF-16 text (convert it: iconv -f UTF-16 -t UTF-8 FILE)'],
];

const startsWith = (head: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => head[i] === b);

/**
 * The format of a file from its first bytes (a few KiB is plenty): "PAR1" is Parquet; known compressed, archive and
 * UTF-16 signatures and any NUL byte are unreadable; text whose first non-blank character is "{" is JSON lines.
 */
export function sniffFormat(head: Uint8Array): Sniffed {
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return { format: 'parquet' };
  for (const [magic, what] of MAGICS) if (startsWith(head, magic)) return { unreadable: what };
  if (head.includes(0)) return { unreadable: 'binary data (it has NUL bytes)' };
  let i = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0; // UTF-8 byte-order mark
  while (i < head.length && (head[i] === 0x20 || (head[i] >= 0x09 && head[i] <= 0x0d))) i++;
  return { format: head[i] === 0x7b ? 'jsonl' : 'text' };
}

/** The format a file name promises: .txt text, .jsonl/.json/.ndjson JSON lines, .parquet Parquet; else none. */
export function formatOfName(name: string): FileFormat | undefined {
  const ext = /\.([^./\\]+)$/.exec(name)?.[1].toLowerCase();
  if (ext === 'txt') return 'text';
  if (ext === 'jsonl' || ext === 'json' || ext === 'ndjson') return 'jsonl';
  if (ext === 'parquet') return 'parquet';
  return undefined;
}

const NAMES: Record<FileFormat, string> = { text: 'plain text', jsonl: 'JSON lines', parquet: 'a Parquet file' };

/**
 * The format to read a file as: its bytes decide between Parquet and text (a .jsonl that is really Parquet is read as
 * Parquet, a .parquet that is really JSON lines as JSONL, with a note); text is read as its name says, else by its
 * first character. `note` explains a name that did not match; `unreadable` refuses with what the file is.
 */
export function formatOf(
  name: string,
  head: Uint8Array,
): { format: FileFormat; note?: string } | { unreadable: string } {
  const sniffed = sniffFormat(head);
  if ('unreadable' in sniffed) return sniffed;
  const named = formatOfName(name);
  const found = sniffed.format;
  if (named === undefined || named === found) return { format: found };
  if (found === 'parquet')
    return { format: 'parquet', note: `${name} is a Parquet file (it starts with PAR1); reading it as Parquet` };
  if (named === 'parquet') {
    if (found === 'jsonl')
      return { format: 'jsonl', note: `${name} is not Parquet but JSON lines; reading it as JSONL` };
    return { unreadable: `not a Parquet file (no PAR1 magic): it looks like ${NAMES[found]}` };
  }
  return { format: named }; // text named .jsonl (errors will name its lines) or JSON lines named .txt (read as text)
}
