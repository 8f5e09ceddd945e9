import { describe, expect, it } from 'vitest';
import { formatOf, sniffFormat } from './format.js';

const bytes = (s: string | number[]) => (typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s));

describe('sniffFormat', () => {
  it.each([
    ['PAR1\u0015\u0004', 'parquet'],
    ['{"text": "hi"}\n', 'jsonl'],
    ['\n  \t{"input_ids": [1]}', 'jsonl'],
    ['\ufeff{"a": 1}', 'jsonl'],
    ['The cat sat.\n', 'text'],
    ['', 'text'],
  ])('%j is %s', (head, format) => {
    expect(sniffFormat(bytes(head))).toEqual({ format });
  });

  it.each([
    [[0x1f, 0x8b, 8, 0], /gzip-compressed \(decompress it first: gunzip FILE\)/],
    [[0x50, 0x4b, 3, 4, 20], /zip archive/],
    [[0x28, 0xb5, 0x2f, 0xfd], /zstd/],
    [[0xff, 0xfe, 0x54, 0], /UTF-16/],
    [[0x54, 0x68, 0, 0x65], /binary data \(it has NUL bytes\)/],
  ])('refuses %j naming what it is', (head, what) => {
    const r = sniffFormat(bytes(head));
    expect('unreadable' in r && r.unreadable).toMatch(what);
  });
});

describe('formatOf: the bytes decide Parquet, the name decides among text forms', () => {
  it('a Parquet file named .jsonl is read as Parquet, with a note', () => {
    expect(formatOf('rows.jsonl', bytes('PAR1xxxx'))).toEqual({
      format: 'parquet',
      note: expect.stringMatching(/rows\.jsonl is a Parquet file/),
    });
  });
  it('JSON lines named .parquet are read as JSONL, with a note; text named .parquet is refused', () => {
    expect(formatOf('docs.parquet', bytes('{"text": "a"}'))).toEqual({
      format: 'jsonl',
      note: expect.stringMatching(/not Parquet but JSON lines/),
    });
    expect(formatOf('docs.parquet', bytes('Hello.'))).toEqual({
      unreadable: 'not a Parquet file (no PAR1 magic): it looks like plain text',
    });
  });
  it('.txt stays text and .jsonl stays JSONL whatever the first character; other names go by it', () => {
    expect(formatOf('notes.txt', bytes('{not json'))).toEqual({ format: 'text' });
    expect(formatOf('rows.jsonl', bytes('oops'))).toEqual({ format: 'jsonl' });
    expect(formatOf('README.md', bytes('# Title'))).toEqual({ format: 'text' });
    expect(formatOf('data', bytes('{"text": 1}'))).toEqual({ format: 'jsonl' });
  });
  it('a gzip file is refused whatever its name', () => {
    expect(formatOf('corpus.jsonl', bytes([0x1f, 0x8b]))).toEqual({ unreadable: expect.stringMatching(/gzip/) });
  });
});
