import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from './index.js';

describe('createReferenceEngine', () => {
  it('allocates zeroed tensors and runs a linear layer', () => {
    const e = createReferenceEngine();
    expect(e.name).toBe('reference');
    const x = e.alloc(2);
    expect(x).toEqual(new Float32Array(2));
    expect(e.allocInt(3)).toEqual(new Int32Array(3));
    expect(e.allocBytes(1)).toEqual(new Uint8Array(1));
    x.set([1, 2]);
    const y = e.alloc(1);
    e.linearForward(y, x, Float32Array.of(3, 4), Float32Array.of(0.5), 1, 2, 1);
    expect(y[0]).toBe(11.5);
    e.dispose();
  });
});
