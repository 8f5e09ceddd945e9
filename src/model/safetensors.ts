// safetensors, bytes in / bytes out (huggingface/safetensors format): u64 LE header length N, N bytes of JSON
// { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { str: str } }, then the data, offsets relative
// to the end of the header. Writes as HF does: header space-padded to a multiple of 8, tensors sorted by name.
import { PretextError, ensure } from '../errors.js';

export type Dtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I32' | 'I64' | 'U8' | 'BOOL';

/** A tensor as stored. Floats read as Float32Array (F16/BF16/F64 converted), integers as Int32Array (I64 narrowed), bytes as Uint8Array. */
export interface StoredTensor {
  dtype: Dtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
}

const BYTES: Record<Dtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I32: 4, I64: 8, U8: 1, BOOL: 1 };

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Parse a .safetensors file. Throws PretextError on a malformed header, overlapping or out-of-range offsets. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  ensure(bytes.length >= 8, 'safetensors: file shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  ensure(8 + n <= bytes.length, `safetensors: header length ${n} exceeds the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new PretextError(`safetensors: header is not JSON (${(e as Error).message})`);
  }
  const base = 8 + n;
  const dataLength = bytes.length - base;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors = new Map<string, StoredTensor>();
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const {
      dtype,
      shape,
      data_offsets: off,
    } = entry as { dtype: Dtype; shape: number[]; data_offsets: [number, number] };
    ensure(dtype in BYTES, `safetensors: ${name}: unsupported dtype ${dtype}`);
    ensure(
      Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0),
      `safetensors: ${name}: bad shape`,
    );
    ensure(
      Array.isArray(off) && off.length === 2 && 0 <= off[0] && off[0] <= off[1] && off[1] <= dataLength,
      `safetensors: ${name}: data_offsets out of range`,
    );
    ensure(
      off[1] - off[0] === numel(shape) * BYTES[dtype],
      `safetensors: ${name}: ${off[1] - off[0]} bytes for shape [${shape}] ${dtype}`,
    );
    spans.push([off[0], off[1], name]);
    tensors.set(name, { dtype, shape, data: decode(bytes.subarray(base + off[0], base + off[1]), dtype) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++)
    ensure(spans[i][0] >= spans[i - 1][1], `safetensors: ${spans[i][2]} overlaps ${spans[i - 1][2]}`);
  return { tensors, metadata };
}

// Raw little-endian bytes -> a fresh, aligned typed array.
function decode(raw: Uint8Array, dtype: Dtype): Float32Array | Int32Array | Uint8Array {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.byteLength / BYTES[dtype];
  switch (dtype) {
    case 'U8':
    case 'BOOL':
      return raw.slice();
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true);
      return out;
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true);
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = dv.getUint16(2 * i, true) << 16;
      return out;
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(dv.getUint16(2 * i, true));
      return out;
    }
    case 'I32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i, true);
      return out;
    }
    case 'I64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = dv.getBigInt64(8 * i, true);
        ensure(v >= -2147483648n && v <= 2147483647n, `safetensors: I64 value ${v} does not fit int32`);
        out[i] = Number(v);
      }
      return out;
    }
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** A tensor to write: F32 from Float32Array, I32 from Int32Array, U8 from Uint8Array. */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array | Int32Array | Uint8Array;
}

/** Serialise tensors (sorted by name) with optional string metadata; HF's layout byte for byte. */
export function writeSafetensors(
  tensors: Record<string, TensorToWrite> | Map<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  );
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    ensure(name !== '__metadata__', 'safetensors: "__metadata__" is not a tensor name');
    ensure(t.data.length === numel(t.shape), `safetensors: ${name}: ${t.data.length} values for shape [${t.shape}]`);
    const dtype = t.data instanceof Float32Array ? 'F32' : t.data instanceof Int32Array ? 'I32' : 'U8';
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  const n = json.length + pad;
  const out = new Uint8Array(8 + n + offset);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let at = 8 + n;
  for (const [, t] of entries) {
    const w = t.data.BYTES_PER_ELEMENT;
    for (let i = 0; i < t.data.length; i++) {
      if (t.data instanceof Float32Array) dv.setFloat32(at + 4 * i, t.data[i], true);
      else if (t.data instanceof Int32Array) dv.setInt32(at + 4 * i, t.data[i], true);
      else out[at + i] = t.data[i];
    }
    at += w * t.data.length;
  }
  return out;
}
