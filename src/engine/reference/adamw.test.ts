import { describe, expect, it } from 'vitest';
import { adamw } from './adamw.js';

describe('adamw', () => {
  it('two steps equal the hand-computed torch.optim.AdamW update', () => {
    const [lr, b1, b2, eps, wd] = [0.1, 0.9, 0.999, 1e-8, 0.01];
    const param = Float64Array.of(1);
    const m = new Float64Array(1);
    const v = new Float64Array(1);

    // Step 1, g = 0.5: decay, then m = 0.05, v = 0.00025, m_hat = 0.5, sqrt(v_hat) = 0.5.
    adamw(param, Float64Array.of(0.5), m, v, 1, lr, b1, b2, eps, wd, 1);
    expect(m[0]).toBeCloseTo(0.05, 15);
    expect(v[0]).toBeCloseTo(0.00025, 15);
    const p1 = 1 * (1 - 0.001) - (0.1 * 0.5) / (0.5 + 1e-8);
    expect(param[0]).toBeCloseTo(p1, 14);

    // Step 2, g = -0.25: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
    // bias corrections 1 - 0.81 = 0.19 and 1 - 0.998001 = 0.001999.
    adamw(param, Float64Array.of(-0.25), m, v, 1, lr, b1, b2, eps, wd, 2);
    expect(m[0]).toBeCloseTo(0.02, 15);
    expect(v[0]).toBeCloseTo(0.00031225, 15);
    const p2 = p1 * (1 - 0.001) - ((0.1 / 0.19) * 0.02) / (Math.sqrt(0.00031225) / Math.sqrt(0.001999) + 1e-8);
    expect(param[0]).toBeCloseTo(p2, 14);
    expect(param[0]).toBeCloseTo(0.8714673, 7);
  });

  it('no weight decay and zero gradient leaves a fresh parameter unchanged; step must count from 1', () => {
    const param = Float32Array.of(3);
    adamw(param, new Float32Array(1), new Float32Array(1), new Float32Array(1), 1, 0.1, 0.9, 0.999, 1e-8, 0, 1);
    expect(param[0]).toBe(3);
    expect(() => adamw(param, param, param, param, 1, 0.1, 0.9, 0.999, 1e-8, 0, 0)).toThrow(RangeError);
  });
});
