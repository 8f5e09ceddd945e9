import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeIndex, encodeTokens, parseIndex, tokenDtype } from './megatron.js';
import { npyHeader, parseNpyHeader } from './npy.js';
import { interleave, shardName, shardOf } from './shards.js';
import { packSequences, unpackSequences } from './sequences.js';

describe('npy header', () => {
  it('is the bytes numpy writes for a small int32 matrix', () => {
    const h = npyHeader('<i4', [2, 3]);
    expect(h.length).toBe(128); // np.save(np.zeros((2, 3), '<i4')) writes the same 128 header bytes
    expect(Array.from(h.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    expect(new DataView(h.buffer).getUint16(8, true)).toBe(118);
    const text = new TextDecoder().decode(h.subarray(10));
    expect(text.startsWith("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }")).toBe(true);
    expect(text.endsWith(' \n')).toBe(true);
  });

  it('writes a 1-d shape with the trailing comma and round-trips any shape, with reserved room', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom<('<i4' | '<u2' | '<i8')[]>('<i4', '<u2', '<i8'),
        (shape, dtype) => {
          const h = npyHeader(dtype, shape, 128);
          expect(h.length).toBe(128);
          const info = parseNpyHeader(h);
          expect(info).toEqual({ dtype, shape, dataOffset: 128 });
        },
      ),
    );
    expect(new TextDecoder().decode(npyHeader('<u2', [7]))).toContain("'shape': (7,)");
  });

  it('refuses what it cannot read in one line', () => {
    expect(() => parseNpyHeader(new Uint8Array(20))).toThrow(/not a \.npy file.*magic/);
  });
});

describe('megatron index', () => {
  it('lays out header, lengths, byte pointers and document indices as MMIDIDX', () => {
    const idx = encodeIndex('uint16', Int32Array.from([3, 1, 2]), [0, 2, 3]);
    const v = new DataView(idx.buffer);
    expect(new TextDecoder().decode(idx.subarray(0, 7))).toBe('MMIDIDX');
    expect(v.getBigUint64(9, true)).toBe(1n); // version
    expect(idx[17]).toBe(8); // uint16
    expect(v.getBigUint64(18, true)).toBe(3n);
    expect(v.getBigUint64(26, true)).toBe(3n);
    expect(idx.length).toBe(34 + 3 * 4 + 3 * 8 + 3 * 8);
    const p = parseIndex(idx);
    expect(Array.from(p.sequencePointers)).toEqual([0, 6, 8]); // 2 bytes a token
    expect(Array.from(p.documentIndices)).toEqual([0, 2, 3]);
  });

  it('round-trips and picks uint16 below 65,500 ids', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 30 }), (lens) => {
        const docs = [0];
        for (let s = 1; s <= lens.length; s++) if (s === lens.length || s % 3 === 0) docs.push(s);
        const p = parseIndex(encodeIndex('int32', Int32Array.from(lens), docs));
        expect(Array.from(p.sequenceLengths)).toEqual(lens);
        expect(Array.from(p.documentIndices)).toEqual(docs);
      }),
    );
    expect(tokenDtype(30522)).toBe('uint16');
    expect(tokenDtype(65500)).toBe('int32');
    expect(() => encodeTokens([70000], 'uint16')).toThrow(/does not fit uint16/);
  });
});

describe('shards', () => {
  it('interleaving d mod n shards gives corpus order back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 7 }), (N, n) => {
        const shards: number[][] = Array.from({ length: n }, () => []);
        for (let d = 0; d < N; d++) shards[shardOf(d, n)].push(d);
        const order = [...interleave(shards.map((s) => s.length))].map(([s, p]) => shards[s][p]);
        expect(order).toEqual(Array.from({ length: N }, (_, d) => d));
      }),
    );
    expect(() => [...interleave([1, 3])]).toThrow(/shard 0 holds 1/);
    expect(shardName(3, 8)).toBe('shard-00003-of-00008');
  });

  it('packs and unpacks sequences of documents', () => {
    const docs = [[Int32Array.from([1, 2]), Int32Array.from([3])], [], [Int32Array.from([4, 5, 6])]];
    expect(unpackSequences(packSequences(docs)).map((d) => d.map((s) => Array.from(s)))).toEqual([
      [[1, 2], [3]],
      [],
      [[4, 5, 6]],
    ]);
  });
});
