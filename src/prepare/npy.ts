// NumPy's .npy format, version 1.0 (numpy/lib/format.py): magic "\x93NUMPY", version 1 0, a little-endian uint16
// header length, then a Python dict literal {'descr', 'fortran_order', 'shape'} padded with spaces and ended by
// "\n" so that the data starts at a multiple of 64 bytes. The data follows in C order.
import { ensure, PretextError } from '../errors.js';

export type NpyDtype = '<i4' | '<u2' | '<i8' | '|u1' | '|i1' | '<f4';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const PREAMBLE = 10; // magic (6) + version (2) + header length (2)

/** Bytes per element of a dtype. */
export function itemSize(dtype: NpyDtype): number {
  return dtype === '<i8' ? 8 : dtype === '<i4' || dtype === '<f4' ? 4 : dtype === '<u2' ? 2 : 1;
}

/**
 * The preamble and header of an .npy file holding `shape` of `dtype`. `minBytes` reserves room, so a streaming
 * writer can put a header for a placeholder shape first and the real one (same size) at the end.
 * Example: npyHeader('<i4', [2, 3]) is 64 bytes, ending "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }   ...\n".
 */
export function npyHeader(dtype: NpyDtype, shape: readonly number[], minBytes = 0): Uint8Array {
  for (const d of shape) ensure(Number.isSafeInteger(d) && d >= 0, `npy: bad dimension ${d}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${dims}), }`;
  let total = PREAMBLE + dict.length + 1;
  total = Math.max(minBytes, Math.ceil(total / 64) * 64);
  ensure(total % 64 === 0, `npy: reserved header size ${minBytes} is not a multiple of 64`);
  ensure(total - PREAMBLE <= 0xffff, 'npy: header too long');
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, total - PREAMBLE, true);
  const text = dict.padEnd(total - PREAMBLE - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) out[PREAMBLE + i] = text.charCodeAt(i);
  return out;
}

export interface NpyInfo {
  dtype: NpyDtype;
  shape: number[];
  /** byte offset of the data */
  dataOffset: number;
}

/** Parse the header of an .npy file (versions 1.0 and 2.0, C order, the dtypes above). */
export function parseNpyHeader(bytes: Uint8Array): NpyInfo {
  const bad = (why: string) => new PretextError(`not a .npy file this reader handles: ${why}`);
  if (bytes.length < PREAMBLE || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('no \\x93NUMPY magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major !== 1 && major !== 2) throw bad(`version ${major}.${bytes[7]}`);
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (bytes.length < start + headerLen) throw bad('truncated header');
  const text = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw bad('malformed header dict');
  if (fortran === 'True') throw bad('Fortran order');
  if (!['<i4', '<u2', '<i8', '|u1', '|i1', '<f4'].includes(descr)) throw bad(`dtype ${descr}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  return { dtype: descr as NpyDtype, shape, dataOffset: start + headerLen };
}
