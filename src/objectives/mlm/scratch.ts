// Reusable scratch buffers for per-row work (single-threaded, synchronous callers only): no per-row allocation.
const i32: Int32Array[] = [new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0)];
const u8: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0)];

/** An Int32Array of at least n elements for slot 0..3; contents are garbage. */
export function scratchI32(slot: number, n: number): Int32Array {
  if (i32[slot].length < n) i32[slot] = new Int32Array(Math.max(n, 2 * i32[slot].length, 1024));
  return i32[slot];
}

/** A Uint8Array of at least n elements for slot 0..1, zeroed on [0, n). */
export function scratchU8(slot: number, n: number): Uint8Array {
  if (u8[slot].length < n) u8[slot] = new Uint8Array(Math.max(n, 2 * u8[slot].length, 1024));
  const a = u8[slot];
  a.fill(0, 0, n);
  return a;
}

let u32 = new Uint32Array(0);

/** A Uint32Array of at least n elements (one slot); contents are garbage. */
export function scratchU32(n: number): Uint32Array {
  if (u32.length < n) u32 = new Uint32Array(Math.max(n, 2 * u32.length, 1024));
  return u32;
}
