import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIndex, encodeTokens, type MegatronDtype } from '../../src/prepare/megatron.js';
import { npyHeader } from '../../src/prepare/npy.js';
import { Rng } from '../../src/rng/rng.js';
import { BlockColumn, ColumnReader, SideFile } from './index-columns.js';
import { StreamShardWriter, type StreamFormat } from './stream-writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pretext-stream-writer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Documents of 0..5 sequences of 0..40 ids (empty documents and a long run of short ones included).
function corpus(seed: number, docs: number): Int32Array[][] {
  const rng = Rng.of(seed, 0, 0, 'stream-writer.test');
  return Array.from({ length: docs }, () =>
    Array.from({ length: rng.int(6) }, () => Int32Array.from({ length: 1 + rng.int(40) }, () => rng.int(60000))),
  );
}

function write(
  docs: Int32Array[][],
  format: StreamFormat,
  dtype: MegatronDtype,
  blockValues?: number,
): Map<string, Buffer> {
  const out = join(dir, `b${blockValues ?? 'default'}-${format}`);
  const w = new StreamShardWriter(out, 'shard', format, dtype, blockValues);
  for (const d of docs) w.addDocument(d);
  w.commit();
  return new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
}

// The files as the index used to be built: whole, in memory, at the end.
function inMemory(docs: Int32Array[][], format: StreamFormat, dtype: MegatronDtype): Map<string, Buffer> {
  const seqs = docs.flat();
  const lengths = Int32Array.from(seqs, (s) => s.length);
  const docStarts = [0];
  for (const d of docs) docStarts.push(docStarts[docStarts.length - 1] + d.length);
  const ids = encodeTokens(Int32Array.from(seqs.flatMap((s) => Array.from(s))), dtype);
  const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);
  if (format === 'megatron')
    return new Map([
      ['shard.bin', cat(ids)],
      ['shard.idx', cat(encodeIndex(dtype, lengths, docStarts))],
    ]);
  const offsets = new BigInt64Array(seqs.length + 1);
  seqs.forEach((s, i) => (offsets[i + 1] = offsets[i] + BigInt(s.length)));
  return new Map([
    [
      'shard.tokens.npy',
      cat(npyHeader(dtype === 'uint16' ? '<u2' : '<i4', [lengths.reduce((a, b) => a + b, 0)], 128), ids),
    ],
    ['shard.sequences.npy', cat(npyHeader('<i8', [offsets.length]), new Uint8Array(offsets.buffer))],
    [
      'shard.documents.npy',
      cat(npyHeader('<i8', [docStarts.length]), new Uint8Array(BigInt64Array.from(docStarts, BigInt).buffer)),
    ],
  ]);
}

describe('StreamShardWriter streams its index', () => {
  for (const format of ['megatron', 'npy'] as const)
    it(`${format}: the same bytes for any flush block size, equal to the index built whole in memory, no temp files left`, () => {
      for (const [seed, dtype] of [
        [1, 'uint16'],
        [2, 'int32'],
      ] as const) {
        const docs = corpus(seed, 300);
        const reference = inMemory(docs, format, dtype);
        for (const block of [1, 3, 64, undefined]) {
          const files = write(docs, format, dtype, block);
          expect([...files.keys()].sort()).toEqual([...reference.keys()].sort());
          for (const [name, bytes] of reference)
            expect(files.get(name)!.equals(bytes), `${name}, block ${block}`).toBe(true);
        }
      }
    });

  it('an empty shard is a valid, empty index', () => {
    expect(
      write([], 'megatron', 'uint16', 2)
        .get('shard.idx')!
        .equals(Buffer.from(encodeIndex('uint16', new Int32Array(0), [0]))),
    ).toBe(true);
  });

  it('abort removes the outputs and the side files', () => {
    const w = new StreamShardWriter(dir, 'shard', 'megatron', 'uint16', 2);
    for (const d of corpus(3, 50)) w.addDocument(d);
    expect(readdirSync(dir).filter((f) => f.includes('.idx.')).length).toBeGreaterThan(0); // pointers, documents
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('index columns', () => {
  it('a column written in blocks through a side file reads back in blocks of any size', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? 2 ** 52 + i : i * 4099));
    const side = new SideFile(join(dir, 'x.idx'), 'test');
    const col = new BlockColumn('int64', side.write, 3);
    values.forEach((v) => col.push(v));
    col.flush();
    const fd = openSync(side.path, 'r');
    for (const block of [1, 5, 4096]) {
      const r = new ColumnReader(fd, 0, 'int64', block);
      expect(values.map(() => r.read())).toEqual(values);
    }
    const r = new ColumnReader(fd, 8 * values.length, 'int64');
    expect(() => r.read()).toThrow(/ends early/);
    closeSync(fd);
    const expected = Buffer.from(BigInt64Array.from(values, BigInt).buffer);
    for (const chunk of [7, 8, 1 << 20]) {
      const copy = Buffer.alloc(expected.length);
      side.copyTo((b, at) => copy.set(b, at), chunk);
      expect(copy.equals(expected), `copy in pieces of ${chunk}`).toBe(true);
    }
    side.remove();
    expect(readdirSync(dir)).toEqual([]);
  });
});
