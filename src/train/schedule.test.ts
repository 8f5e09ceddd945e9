import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { learningRate, lrMultiplier, type Schedule } from './schedule.js';

// HF's lr_lambdas evaluated in Python by tools/make-goldens.py (warmup 3, total 10, steps 0..11).
const golden = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/goldens/schedules.json'), 'utf8'),
) as { warmup: number; total: number; linear: number[]; cosine: number[] };

describe('lr schedules', () => {
  it('match HF get_linear / get_cosine_schedule_with_warmup', () => {
    for (const kind of ['linear', 'cosine'] as const) {
      const s: Schedule = { kind, warmupSteps: golden.warmup, totalSteps: golden.total };
      golden[kind].forEach((want, step) => expect(lrMultiplier(step, s)).toBeCloseTo(want, 14));
    }
  });

  it('worked examples', () => {
    const linear: Schedule = { kind: 'linear', warmupSteps: 2, totalSteps: 6 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((t) => lrMultiplier(t, linear))).toEqual([0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0]);
    expect(learningRate(3, 1e-3, linear)).toBeCloseTo(7.5e-4, 18);
    expect([0, 1, 5, 100].map((t) => lrMultiplier(t, { kind: 'constant', warmupSteps: 2, totalSteps: 0 }))).toEqual([
      0, 0.5, 1, 1,
    ]);
    expect(lrMultiplier(0, { kind: 'linear', warmupSteps: 0, totalSteps: 4 })).toBe(1);
    expect(lrMultiplier(4, { kind: 'cosine', warmupSteps: 0, totalSteps: 8 })).toBeCloseTo(0.5, 15);
    expect(lrMultiplier(8, { kind: 'cosine', warmupSteps: 0, totalSteps: 8, numCycles: 1 })).toBeCloseTo(1, 15);
  });

  it('rises through warm-up, then never increases up to totalSteps, ending at 0, within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('linear', 'cosine'),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        (kind, warmupSteps, extra) => {
          const s: Schedule = { kind: kind as 'linear' | 'cosine', warmupSteps, totalSteps: warmupSteps + extra };
          let prev = -1;
          for (let t = 0; t <= s.totalSteps; t++) {
            const m = lrMultiplier(t, s);
            expect(m).toBeGreaterThanOrEqual(0);
            expect(m).toBeLessThanOrEqual(1);
            if (t <= warmupSteps) expect(m).toBeGreaterThan(prev);
            else expect(m).toBeLessThanOrEqual(prev + 1e-15);
            prev = m;
          }
          expect(lrMultiplier(s.totalSteps, s)).toBeCloseTo(0, 12);
        },
      ),
    );
  });

  it('rejects negative or fractional steps', () => {
    const s: Schedule = { kind: 'linear', warmupSteps: 1, totalSteps: 2 };
    expect(() => lrMultiplier(-1, s)).toThrow(PretextError);
    expect(() => lrMultiplier(1.5, s)).toThrow(PretextError);
    expect(() => lrMultiplier(1, { ...s, warmupSteps: -1 })).toThrow(PretextError);
  });
});
