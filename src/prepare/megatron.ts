// Megatron-LM's indexed dataset (megatron/core/datasets/indexed_dataset.py, "MMIDIDX"): a .bin of token ids
// back to back and an .idx that says where each sequence starts and which sequences make a document:
//   b"MMIDIDX\x00\x00" | version u64 = 1 | dtype code u8 | sequence count u64 | document count u64
//   | sequence lengths i32[S] | sequence pointers i64[S] (byte offsets into .bin) | document indices i64[D]
// Document indices start at 0 and end at S: document d is sequences [doc[d], doc[d + 1]), so D = documents + 1.
import { ensure, PretextError } from '../errors.js';

const MAGIC = [0x4d, 0x4d, 0x49, 0x44, 0x49, 0x44, 0x58, 0x00, 0x00]; // MMIDIDX\0\0
const HEADER = MAGIC.length + 8 + 1 + 8 + 8;

/** Megatron's DType codes (megatron/core/datasets/indexed_dataset.py). */
export const MEGATRON_DTYPES = {
  uint8: 1,
  int8: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  float64: 6,
  float32: 7,
  uint16: 8,
} as const;
export type MegatronDtype = 'uint16' | 'int32';

/** Megatron picks uint16 below 65,500 ids (DType.optimal_dtype), else int32. */
export function tokenDtype(vocabSize: number): MegatronDtype {
  return vocabSize < 65500 ? 'uint16' : 'int32';
}

export const dtypeBytes = (d: MegatronDtype): number => (d === 'uint16' ? 2 : 4);

/** Token ids as the .bin's little-endian bytes. */
export function encodeTokens(ids: ArrayLike<number>, dtype: MegatronDtype): Uint8Array {
  const out = dtype === 'uint16' ? new Uint16Array(ids.length) : new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    ensure(v >= 0 && (dtype === 'int32' || v < 65536), () => `megatron: token id ${v} does not fit ${dtype}`);
    out[i] = v;
  }
  return new Uint8Array(out.buffer);
}

export interface MegatronIndex {
  dtype: MegatronDtype;
  /** [S] tokens per sequence */
  sequenceLengths: Int32Array;
  /** [S] byte offset of each sequence in the .bin */
  sequencePointers: Float64Array;
  /** [D + 1] first sequence of each document, then S */
  documentIndices: Float64Array;
}

/** Bytes before the .idx's arrays; the arrays follow at INDEX_HEADER_BYTES, lengths first. */
export const INDEX_HEADER_BYTES = HEADER;

/** The .idx header for `sequences` sequences and `documentIndices` entries (documents + 1). */
export function indexHeader(dtype: MegatronDtype, sequences: number, documentIndices: number): Uint8Array {
  const out = new Uint8Array(HEADER);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  let at = MAGIC.length;
  view.setBigUint64(at, 1n, true);
  out[(at += 8)] = MEGATRON_DTYPES[dtype];
  view.setBigUint64((at += 1), BigInt(sequences), true);
  view.setBigUint64((at += 8), BigInt(documentIndices), true);
  return out;
}

/**
 * The .idx bytes for sequences of the given lengths grouped into documents (pointers follow from the lengths), built
 * whole in memory: the reference the streaming writer (cli/prepare/stream-writer.ts) must equal byte for byte.
 */
export function encodeIndex(
  dtype: MegatronDtype,
  sequenceLengths: Int32Array,
  documentIndices: ArrayLike<number>,
): Uint8Array {
  const S = sequenceLengths.length;
  const D = documentIndices.length;
  ensure(
    D >= 1 && documentIndices[0] === 0 && documentIndices[D - 1] === S,
    'megatron: document indices must run from 0 to the sequence count',
  );
  const out = new Uint8Array(HEADER + 4 * S + 8 * S + 8 * D);
  out.set(indexHeader(dtype, S, D), 0);
  return fillArrays(out, new DataView(out.buffer), sequenceLengths, documentIndices, dtypeBytes(dtype));
}

// Lengths, pointers and document indices written through the DataView (the header leaves them unaligned).
function fillArrays(
  out: Uint8Array,
  view: DataView,
  lengths: Int32Array,
  docs: ArrayLike<number>,
  item: number,
): Uint8Array {
  const S = lengths.length;
  let at = HEADER;
  for (let s = 0; s < S; s++, at += 4) view.setInt32(at, lengths[s], true);
  let pointer = 0;
  for (let s = 0; s < S; s++, at += 8) {
    view.setBigInt64(at, BigInt(pointer), true);
    pointer += lengths[s] * item;
  }
  for (let d = 0; d < docs.length; d++, at += 8) view.setBigInt64(at, BigInt(docs[d]), true);
  return out;
}

export interface IndexHeader {
  dtype: MegatronDtype;
  /** S */
  sequences: number;
  /** D: documents + 1 */
  documentIndices: number;
}

/** Parse the header of an .idx file (its first INDEX_HEADER_BYTES bytes, or all of it). */
export function parseIndexHeader(bytes: Uint8Array): IndexHeader {
  const bad = (why: string) => new PretextError(`not a Megatron .idx file: ${why}`);
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('no MMIDIDX magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = MAGIC.length;
  const version = view.getBigUint64(at, true);
  if (version !== 1n) throw bad(`version ${version}`);
  const code = bytes[(at += 8)];
  const dtype = (Object.keys(MEGATRON_DTYPES) as (keyof typeof MEGATRON_DTYPES)[]).find(
    (k) => MEGATRON_DTYPES[k] === code,
  );
  if (dtype !== 'uint16' && dtype !== 'int32')
    throw bad(`token dtype ${dtype ?? code} (pretext reads uint16 and int32)`);
  const sequences = Number(view.getBigUint64((at += 1), true));
  const documentIndices = Number(view.getBigUint64((at += 8), true));
  return { dtype, sequences, documentIndices };
}

/** Parse an .idx file. */
export function parseIndex(bytes: Uint8Array): MegatronIndex {
  const { dtype, sequences: S, documentIndices: D } = parseIndexHeader(bytes);
  if (bytes.length < HEADER + 12 * S + 8 * D) throw new PretextError('not a Megatron .idx file: truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = HEADER;
  const sequenceLengths = new Int32Array(S);
  for (let s = 0; s < S; s++, at += 4) sequenceLengths[s] = view.getInt32(at, true);
  const sequencePointers = new Float64Array(S);
  for (let s = 0; s < S; s++, at += 8) sequencePointers[s] = Number(view.getBigInt64(at, true));
  const documentIndices = new Float64Array(D);
  for (let d = 0; d < D; d++, at += 8) documentIndices[d] = Number(view.getBigInt64(at, true));
  return { dtype, sequenceLengths, sequencePointers, documentIndices };
}
