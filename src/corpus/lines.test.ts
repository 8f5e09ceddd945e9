import { describe, expect, it } from 'vitest';
import { linesFromChunks } from './lines.js';

const enc = (s: string) => new TextEncoder().encode(s);
const collect = async (chunks: Uint8Array[]) => {
  const out: string[] = [];
  for await (const line of linesFromChunks(chunks)) out.push(line);
  return out;
};

describe('linesFromChunks', () => {
  it('splits on \\n and \\r\\n, keeps empty lines, yields a final unterminated line', async () => {
    expect(await collect([enc('a\r\nb\n\nc')])).toEqual(['a', 'b', '', 'c']);
  });

  it('yields nothing for empty input and no extra line after a final newline', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect([enc('x\n')])).toEqual(['x']);
  });

  it('joins lines and multi-byte characters split across chunks', async () => {
    const bytes = enc('caf\u00e9 \u{1F600}\nsecond line\n');
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b)); // one byte per chunk
    expect(await collect(chunks)).toEqual(['caf\u00e9 \u{1F600}', 'second line']);
  });

  it('drops a leading byte order mark', async () => {
    expect(await collect([Uint8Array.of(0xef, 0xbb, 0xbf), enc('hi')])).toEqual(['hi']);
  });

  it('splits a \\r\\n pair across chunks', async () => {
    expect(await collect([enc('a\r'), enc('\nb')])).toEqual(['a', 'b']);
  });
});
