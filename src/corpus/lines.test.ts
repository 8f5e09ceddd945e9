import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Utf8Check, linesFromChunks } from './lines.js';

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

describe('decoding: UTF-8 checked, bad bytes counted or refused, Latin-1', () => {
  const decode = async (chunks: Uint8Array[], opts = {}) => {
    let invalid = -1;
    const lines: string[] = [];
    for await (const line of linesFromChunks(chunks, opts, (n) => (invalid = n))) lines.push(line);
    return { lines, invalid };
  };

  it('replaces bad bytes with U+FFFD and counts them', async () => {
    const r = await decode([Uint8Array.of(0x61, 0xff, 0x62, 0x0a, 0xc3, 0x28, 0x0a, 0xe2, 0x82)]);
    expect(r.lines).toEqual(['a\ufffdb', '\ufffd(', '\ufffd']);
    expect(r.invalid).toBe(4); // 0xff; 0xc3 broken by '('; 0xe2 0x82 cut off at the end
  });

  it('utf-8-strict refuses the first bad byte with its offset', async () => {
    await expect(
      decode([enc('ok\n'), Uint8Array.of(0x61, 0xc0, 0x80)], { encoding: 'utf-8-strict', source: 'x.txt' }),
    ).rejects.toThrow(/^x\.txt: byte 4 is not valid UTF-8$/);
  });

  it('latin1 reads every byte as a character', async () => {
    const r = await decode([Uint8Array.of(0x63, 0x61, 0x66, 0xe9)], { encoding: 'latin1' });
    expect(r).toEqual({ lines: ['caf\u00e9'], invalid: 0 });
  });

  it('counts zero bad bytes exactly when a fatal decoder accepts the bytes, however they are chunked', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(40), (raw, cut) => {
        const pick = (b: number) => [0x41, 0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xa0, 0x9f][b % 12];
        const bytes = raw.map(pick);
        const check = new Utf8Check();
        check.feed(bytes.subarray(0, cut));
        check.feed(bytes.subarray(cut));
        check.end();
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(check.invalidBytes === 0).toBe(valid);
        const whole = new Utf8Check();
        whole.feed(bytes);
        whole.end();
        expect(check.invalidBytes).toBe(whole.invalidBytes);
      }),
    );
  });
});
