import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/goldens', name)));

function header(bytes: Uint8Array): { n: number; text: string } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { n, text: new TextDecoder().decode(bytes.subarray(8, 8 + n)) };
}

// A file from raw header JSON and data bytes (for malformed inputs).
function raw(json: string, data: number[] = []): Uint8Array {
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips F32, I32 and U8 tensors with metadata', () => {
    const tensors = {
      'b.weight': { shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 1e-30, -0, 65504) },
      'a.ids': { shape: [4], data: Int32Array.of(0, -100, 2147483647, -2147483648) },
      'c.mask': { shape: [2, 2], data: Uint8Array.of(1, 0, 0, 1) },
      scalar: { shape: [], data: Float32Array.of(7) },
      empty: { shape: [0, 3], data: new Float32Array(0) },
    };
    const file = readSafetensors(writeSafetensors(tensors, { format: 'pt' }));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect([...file.tensors.keys()].sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = file.tensors.get(name);
      expect(got?.shape).toEqual(t.shape);
      expect(got?.data).toEqual(t.data);
    }
    expect(file.tensors.get('a.ids')?.dtype).toBe('I32');
    expect(file.tensors.get('c.mask')?.dtype).toBe('U8');
  });

  it('writes HF layout: u64 LE length, space-padded JSON to 8 bytes, __metadata__ first, names sorted, contiguous offsets', () => {
    const bytes = writeSafetensors(
      { z: { shape: [1], data: Float32Array.of(1) }, a: { shape: [2], data: Float32Array.of(2, 3) } },
      { format: 'pt' },
    );
    const { n, text } = header(bytes);
    expect(n % 8).toBe(0);
    expect(bytes.length).toBe(8 + n + 12);
    expect(text.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}',
    );
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    expect(Array.from(bytes.subarray(8 + n, 8 + n + 4))).toEqual([0, 0, 0, 64]); // 2.0f LE
  });

  it('reads the files the Python writer in tools/make-goldens.py made, byte-identical when rewritten', () => {
    const bytes = fixture('bert-mlm.weights.safetensors');
    const file = readSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.get('bert.embeddings.word_embeddings.weight')?.shape).toEqual([97, 32]);
    expect(file.tensors.has('cls.predictions.decoder.weight')).toBe(false);
    const again = writeSafetensors(
      new Map([...file.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }])),
      file.metadata,
    );
    expect(header(again).text).toBe(header(bytes).text);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('converts F16, BF16, F64 to float32 and I64 to int32', () => {
    const f16 = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00]; // 1, -2, 65504, 2^-24, inf
    const bf16 = [0x3f80, 0xc040]; // 1, -3
    const data: number[] = [];
    for (const h of [...f16, ...bf16]) data.push(h & 0xff, h >> 8);
    const f64 = new Uint8Array(Float64Array.of(0.1, -1e300).buffer);
    const i64 = new Uint8Array(BigInt64Array.of(-100n, 5n).buffer);
    const json = JSON.stringify({
      h: { dtype: 'F16', shape: [5], data_offsets: [0, 10] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [10, 14] },
      d: { dtype: 'F64', shape: [2], data_offsets: [14, 30] },
      l: { dtype: 'I64', shape: [2], data_offsets: [30, 46] },
    });
    const file = readSafetensors(raw(json, [...data, ...f64, ...i64]));
    expect(Array.from(file.tensors.get('h')?.data ?? [])).toEqual([1, -2, 65504, 2 ** -24, Infinity]);
    expect(Array.from(file.tensors.get('b')?.data ?? [])).toEqual([1, -3]);
    expect(file.tensors.get('d')?.data).toEqual(Float32Array.of(0.1, -Infinity));
    expect(file.tensors.get('l')?.data).toEqual(Int32Array.of(-100, 5));
  });

  it('rejects malformed files', () => {
    const bad = [
      new Uint8Array(4),
      raw('{"a":'),
      raw('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', [0, 0, 0, 0]),
      raw('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Array(8).fill(0)),
      raw('{"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}', [0]),
      raw(
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}',
        new Array(8).fill(0),
      ),
    ];
    for (const b of bad) expect(() => readSafetensors(b)).toThrow(PretextError);
    expect(() => writeSafetensors({ a: { shape: [3], data: new Float32Array(2) } })).toThrow(PretextError);
  });
});
