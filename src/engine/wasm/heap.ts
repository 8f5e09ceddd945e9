// A bump allocator over the engine's shared WebAssembly.Memory: tensors are never freed, so every allocation is
// fresh zeroed memory. Pointers are byte offsets; views are made on memory.buffer. With shared memory, grow() never
// detaches: views made before a grow stay valid (tested), and views made after see the larger buffer.

const PAGE = 65536;
const ALIGN = 64;
/** Bytes kept readable past the last allocation: SIMD edge loads (e.g. a bias panel of 8) may read a little past a tensor. */
const SLACK = 64;

export class WasmHeap {
  private top: number;
  private readonly ours = new WeakSet<ArrayBufferLike>();

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
    private readonly maxBytes: number,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** Bytes handed out so far (the high-water mark of the heap). */
  get used(): number {
    return this.top;
  }

  /** A fresh, zeroed, 64-byte-aligned block; returns its byte offset. */
  allocBytes(bytes: number): number {
    if (!(Number.isInteger(bytes) && bytes >= 0)) throw new RangeError(`wasm engine: cannot allocate ${bytes} bytes`);
    const ptr = this.top;
    const end = ptr + Math.max(bytes, 1);
    if (end + SLACK > this.maxBytes) {
      throw new RangeError(
        `wasm engine: out of memory (${end + SLACK} bytes wanted, maximum ${this.maxBytes}); pass a larger maxMemoryMB`,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end + SLACK > have) {
      // Grow by at least a quarter of what we have, to keep grow() calls rare.
      const want = Math.max(end + SLACK - have, Math.floor(have / 4));
      const pages = Math.min(Math.ceil(want / PAGE), (this.maxBytes - have) / PAGE);
      this.memory.grow(pages);
    }
    this.top = Math.ceil(end / ALIGN) * ALIGN;
    return ptr;
  }

  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.buffer(), ptr, n);
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.buffer(), ptr, n);
  }

  u8(ptr: number, n: number): Uint8Array {
    return new Uint8Array(this.buffer(), ptr, n);
  }

  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.buffer(), ptr, n);
  }

  /** The byte offset of a view made by this heap (or a subarray of one); throws for any other array. */
  ptr(view: ArrayBufferView, what: string): number {
    if (!this.ours.has(view.buffer)) {
      if (view.buffer !== this.memory.buffer) {
        throw new TypeError(
          `wasm engine: ${what} was not allocated by this engine (use engine.alloc / allocInt / allocBytes)`,
        );
      }
      this.ours.add(view.buffer);
    }
    return view.byteOffset;
  }

  private buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    this.ours.add(b);
    return b;
  }
}
