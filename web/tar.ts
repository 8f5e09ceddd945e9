// A ustar archive of a few files in one folder (the downloaded checkpoint: `tar xf` gives a checkpoint folder that
// `pretext predict --run` reads). 512-byte headers, octal sizes, the checksum computed with its field as spaces.
const BLOCK = 512;

function header(path: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const enc = new TextEncoder();
  const put = (s: string, at: number, len: number) => h.set(enc.encode(s).subarray(0, len), at);
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  put(path, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  const sum = h.reduce((s, b) => s + b, 0);
  put(octal(sum, 7) + ' ', 148, 8);
  return h;
}

/** folder/name for each file, as one tar archive. */
export function tarFolder(folder: string, files: Record<string, string | Uint8Array>): Uint8Array {
  const enc = new TextEncoder();
  const mtime = Math.floor(Date.now() / 1000);
  const parts: Uint8Array[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? enc.encode(content) : content;
    parts.push(
      header(`${folder}/${name}`, data.length, mtime),
      data,
      new Uint8Array((BLOCK - (data.length % BLOCK)) % BLOCK),
    );
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
