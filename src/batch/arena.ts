// Row memory: objectives carve a call's output rows out of shared chunks instead of one ArrayBuffer per array
// (allocation dominated the per-token cost). Rows of one transform call may share an ArrayBuffer: copy an array
// before transferring its buffer.

const CHUNK_BYTES = 1 << 18;

export class RowArena {
  private buf = new ArrayBuffer(0);
  private off = 0;

  private take(bytes: number): number {
    const at = (this.off + 7) & ~7;
    if (at + bytes <= this.buf.byteLength) {
      this.off = at + bytes;
      return at;
    }
    this.buf = new ArrayBuffer(Math.max(CHUNK_BYTES, bytes));
    this.off = bytes;
    return 0;
  }

  /** A zeroed Int32Array of n elements. */
  int32(n: number): Int32Array {
    const at = this.take(4 * n);
    return new Int32Array(this.buf, at, n);
  }

  /** A zeroed Uint8Array of n elements. */
  uint8(n: number): Uint8Array {
    const at = this.take(n);
    return new Uint8Array(this.buf, at, n);
  }
}
