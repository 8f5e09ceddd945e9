import { describe, expect, it } from 'vitest';
import { createWasmEngine } from './index.js';

describe('wasm engine memory and threads', () => {
  it('views made before memory.grow stay valid and see later writes; new tensors are zeroed', async () => {
    const e = await createWasmEngine({ threads: 2, maxMemoryMB: 256 });
    const a = e.alloc(1000);
    a.fill(3);
    const used = e.memoryUsed;
    const big = e.alloc(16 * 1024 * 1024); // 64 MiB: forces several grow() calls past the 16 MiB initial memory
    expect(e.memoryUsed).toBeGreaterThan(used + 64 * 1024 * 1024 - 1);
    expect(big[big.length - 1]).toBe(0);
    expect(a.length).toBe(1000);
    expect(a[999]).toBe(3);
    const b = e.alloc(1000);
    b.fill(2);
    e.add(a, a, b, 1000); // a kernel writes through memory; the old view sees it
    expect(a[0]).toBe(5);
    expect(e.sumSquares(big, big.length)).toBe(0);
    big[big.length - 1] = 2;
    expect(e.sumSquares(big, big.length)).toBe(4);
    e.dispose();
  });

  it('rejects tensors it did not allocate, and allocation past maxMemoryMB', async () => {
    const e = await createWasmEngine({ threads: 1, maxMemoryMB: 32 });
    expect(() => e.add(e.alloc(4), new Float32Array(4), e.alloc(4), 4)).toThrow(/not allocated by this engine/);
    expect(() => e.alloc(16 * 1024 * 1024)).toThrow(RangeError);
    const sub = e.alloc(8).subarray(4); // subarrays of engine tensors are fine
    sub.set([1, 2, 3, 4]);
    e.scale(sub, 4, 2);
    expect(Array.from(sub)).toEqual([2, 4, 6, 8]);
    e.dispose();
  });

  it('reports its threads and build; the simd build runs without relaxed SIMD', async () => {
    const e = await createWasmEngine({ threads: 3, build: 'simd' });
    expect(e.threads).toBe(3);
    expect(e.build).toBe('simd');
    expect(e.name).toBe('wasm');
    e.dispose();
    expect(() => e.dispose()).not.toThrow();
  });
});
