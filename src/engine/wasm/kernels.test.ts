// Every wasm kernel against the reference kernel: max |wasm - reference| / max |reference| below 1e-4, on random
// inputs including sizes that are not multiples of 4 or 8, on 1 and 2 threads and both builds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import type { AttentionDropout, Engine, GeluForm } from '../engine.js';
import { relErr } from '../reference/check.case.js';
import { drawKeepMask } from '../engine.js';
import { CONFIGS, createWasmEngine, label, pair, put, putInt, reference as ref } from './engine-pair.case.js';

const TOL = 1e-4;

for (const config of CONFIGS) {
  describe(`wasm kernels vs reference (${label(config)})`, () => {
    let e: Engine;
    beforeAll(async () => {
      e = await createWasmEngine(config);
    });
    afterAll(() => e.dispose());

    it('matmul: all four transpose combinations, beta 0 and 1, odd and blocked sizes', () => {
      // K > KC = 256 and M > MC = 128 cross the cache blocks; N > NC = 2048 crosses the column blocks.
      const shapes = [
        [1, 1, 1],
        [3, 5, 7],
        [13, 17, 9],
        [33, 70, 257],
        [130, 9, 20],
        [5, 2100, 3],
      ];
      for (const [M, N, K] of shapes) {
        for (const [tA, tB] of [
          [false, false],
          [false, true],
          [true, false],
          [true, true],
        ]) {
          const [A, wA] = pair(e, M * K, `A${M}${K}`);
          const [B, wB] = pair(e, K * N, `B${K}${N}`);
          for (const beta of [0, 1] as const) {
            const [C, wC] = pair(e, M * N, `C${M}${N}`);
            ref.matmul(C, A, B, M, N, K, tA, tB, beta);
            e.matmul(wC, wA, wB, M, N, K, tA, tB, beta);
            expect(relErr(wC, C), `${M}x${N}x${K} tA=${tA} tB=${tB} beta=${beta}`).toBeLessThan(TOL);
          }
        }
      }
    });

    it('linear forward (bias fused) and backward (dx, dW, db; accumulate; dx null)', () => {
      for (const [N, I, O] of [
        [7, 5, 3],
        [33, 19, 13],
        [64, 32, 48],
      ]) {
        const [x, wx] = pair(e, N * I, 'x');
        const [W, wW] = pair(e, O * I, 'W');
        const [b, wb] = pair(e, O, 'b');
        const [y, wy] = pair(e, N * O, 'y');
        ref.linearForward(y, x, W, b, N, I, O);
        e.linearForward(wy, wx, wW, wb, N, I, O);
        expect(relErr(wy, y)).toBeLessThan(TOL);
        ref.linearForward(y, x, W, null, N, I, O);
        e.linearForward(wy, wx, wW, null, N, I, O);
        expect(relErr(wy, y)).toBeLessThan(TOL);

        const [dy, wdy] = pair(e, N * O, 'dy');
        for (const accumulate of [false, true]) {
          const [dx, wdx] = pair(e, N * I, 'dx');
          const [dW, wdW] = pair(e, O * I, 'dW');
          const [db, wdb] = pair(e, O, 'db');
          ref.linearBackward(dx, dW, db, dy, x, W, N, I, O, accumulate);
          e.linearBackward(wdx, wdW, wdb, wdy, wx, wW, N, I, O, accumulate);
          expect(relErr(wdx, dx)).toBeLessThan(TOL);
          expect(relErr(wdW, dW)).toBeLessThan(TOL);
          expect(relErr(wdb, db)).toBeLessThan(TOL);
          ref.linearBackward(null, dW, null, dy, x, W, N, I, O, accumulate);
          e.linearBackward(null, wdW, null, wdy, wx, wW, N, I, O, accumulate);
          expect(relErr(wdW, dW)).toBeLessThan(TOL);
        }
      }
    });

    for (const form of ['erf', 'tanh'] as GeluForm[]) {
      it(`gelu ${form}: forward and backward, each element to 1e-5 of its own size`, () => {
        const n = 1003;
        const [x, wx] = pair(e, n, 'x', 4);
        x[0] = wx[0] = -12; // far tails
        x[1] = wx[1] = 12;
        x[2] = wx[2] = 0;
        const [y, wy] = pair(e, n, 'y');
        ref.geluForward(y, x, n, form);
        e.geluForward(wy, wx, n, form);
        expect(relErr(wy, y)).toBeLessThan(TOL);
        let worst = 0;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(wy[i] - y[i]) / Math.max(Math.abs(y[i]), 1e-3));
        expect(worst).toBeLessThan(1e-5);
        const [dy, wdy] = pair(e, n, 'dy');
        for (const accumulate of [false, true]) {
          const [dx, wdx] = pair(e, n, 'dx');
          ref.geluBackward(dx, dy, x, n, form, accumulate);
          e.geluBackward(wdx, wdy, wx, n, form, accumulate);
          expect(relErr(wdx, dx)).toBeLessThan(TOL);
        }
      });
    }

    it('tanh: forward within 1e-6 of Math.tanh per element (normal range, both signs), backward from y, odd sizes', () => {
      const sweep: number[] = [0, -0, 12, -12, 100, -100];
      for (let k = -37; k <= 1.5; k += 0.01) sweep.push(10 ** k, -(10 ** k)); // tiny to saturated
      for (let v = -10; v <= 10; v += 1 / 1024) sweep.push(v); // dense around the split at 0.55
      const n = sweep.length;
      const x = put(e, sweep);
      const y = e.alloc(n);
      e.tanhForward(y, x, n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const want = Math.tanh(x[i]);
        worst = Math.max(worst, want === 0 ? Math.abs(y[i]) : Math.abs(y[i] - want) / Math.abs(want));
      }
      expect(worst).toBeLessThan(1e-6);
      expect(Object.is(y[1], -0)).toBe(true);
      for (const m of [1, 3, 1003]) {
        const [xr, wx] = pair(e, m, `x${m}`, 2);
        const [yr, wy] = pair(e, m, 'y');
        ref.tanhForward(yr, xr, m);
        e.tanhForward(wy, wx, m);
        expect(relErr(wy, yr), `forward n=${m}`).toBeLessThan(TOL);
        e.tanhForward(wx, wx, m); // in place
        expect(wx).toEqual(wy);
        const [dy, wdy] = pair(e, m, 'dy');
        for (const accumulate of [false, true]) {
          const [dx, wdx] = pair(e, m, 'dx');
          ref.tanhBackward(dx, dy, yr, m, accumulate);
          e.tanhBackward(wdx, wdy, wy, m, accumulate);
          expect(relErr(wdx, dx), `backward n=${m}`).toBeLessThan(TOL);
        }
      }
    });

    it('layerNorm forward and backward', () => {
      for (const [N, C] of [
        [7, 13],
        [33, 128],
        [5, 3],
      ]) {
        const [x, wx] = pair(e, N * C, 'x', 2);
        const [gamma, wgamma] = pair(e, C, 'gamma');
        const [beta, wbeta] = pair(e, C, 'beta');
        const [y, wy] = pair(e, N * C, 'y');
        const [mean, wmean] = pair(e, N, 'mean');
        const [rstd, wrstd] = pair(e, N, 'rstd');
        ref.layerNormForward(y, mean, rstd, x, gamma, beta, N, C, 1e-5);
        e.layerNormForward(wy, wmean, wrstd, wx, wgamma, wbeta, N, C, 1e-5);
        expect(relErr(wy, y)).toBeLessThan(TOL);
        expect(relErr(wmean, mean)).toBeLessThan(TOL);
        expect(relErr(wrstd, rstd)).toBeLessThan(TOL);
        const [dy, wdy] = pair(e, N * C, 'dy');
        for (const accumulate of [false, true]) {
          const [dx, wdx] = pair(e, N * C, 'dx');
          const [dg, wdg] = pair(e, C, 'dg');
          const [dbt, wdbt] = pair(e, C, 'dbt');
          ref.layerNormBackward(dx, dg, dbt, dy, x, mean, rstd, gamma, N, C, accumulate);
          e.layerNormBackward(wdx, wdg, wdbt, wdy, wx, wmean, wrstd, wgamma, N, C, accumulate);
          expect(relErr(wdx, dx)).toBeLessThan(TOL);
          expect(relErr(wdg, dg)).toBeLessThan(TOL);
          expect(relErr(wdbt, dbt)).toBeLessThan(TOL);
        }
      }
    });

    it('attention forward and backward: no mask, causal, padding, a fully blocked row', () => {
      for (const [B, T, C, H, kind] of [
        [2, 5, 6, 2, 'none'],
        [3, 17, 16, 4, 'causal'],
        [2, 33, 64, 2, 'padding'],
        [1, 8, 8, 1, 'blocked'],
      ] as const) {
        let mask: Float32Array | null = null;
        let wmask: Float32Array | null = null;
        if (kind !== 'none') {
          const m = new Float32Array(B * T * T);
          for (let b = 0; b < B; b++)
            for (let t = 0; t < T; t++)
              for (let u = 0; u < T; u++) {
                const blocked = kind === 'causal' ? u > t : kind === 'padding' ? u >= T - 3 * b - 1 : t === 2;
                if (blocked) m[(b * T + t) * T + u] = kind === 'blocked' ? -Infinity : -1e9;
              }
          mask = put(ref, m);
          wmask = put(e, m);
        }
        const [qkv, wqkv] = pair(e, B * T * 3 * C, 'qkv');
        const [out, wout] = pair(e, B * T * C, 'out');
        const [probs, wprobs] = pair(e, B * H * T * T, 'probs');
        ref.attentionForward(out, probs, qkv, mask, B, T, C, H);
        e.attentionForward(wout, wprobs, wqkv, wmask, B, T, C, H);
        expect(relErr(wout, out), `${kind} out`).toBeLessThan(TOL);
        expect(relErr(wprobs, probs), `${kind} probs`).toBeLessThan(TOL);
        const [dout, wdout] = pair(e, B * T * C, 'dout');
        const [dqkv, wdqkv] = pair(e, B * T * 3 * C, 'dqkv');
        ref.attentionBackward(dqkv, dout, qkv, probs, B, T, C, H);
        e.attentionBackward(wdqkv, wdout, wqkv, wprobs, B, T, C, H);
        expect(relErr(wdqkv, dqkv), `${kind} dqkv`).toBeLessThan(TOL);
      }
    });

    it('attention with dropout on the probabilities: same keep mask in both engines; p = 0 all kept is no dropout', () => {
      for (const [B, T, C, H, p] of [
        [2, 5, 6, 2, 0.2],
        [3, 17, 16, 4, 0.5],
        [2, 33, 64, 2, 0.1],
        [1, 8, 8, 1, 0],
      ] as const) {
        const m = new Float32Array(B * T * T);
        for (let b = 0; b < B; b++)
          for (let t = 0; t < T; t++) for (let u = t + 1; u < T; u++) m[(b * T + t) * T + u] = -1e9;
        const [mask, wmask] = [put(ref, m), put(e, m)];
        const drops = [ref, e].map((eng): AttentionDropout => {
          const keep = eng.allocBytes(B * H * T * T);
          drawKeepMask(keep, keep.length, p, Rng.of(3, 0, 0, 'attention dropout'));
          return { p, keep };
        });
        const [qkv, wqkv] = pair(e, B * T * 3 * C, 'qkv');
        const [out, wout] = pair(e, B * T * C, 'out');
        const [probs, wprobs] = pair(e, B * H * T * T, 'probs');
        ref.attentionForward(out, probs, qkv, mask, B, T, C, H, drops[0]);
        e.attentionForward(wout, wprobs, wqkv, wmask, B, T, C, H, drops[1]);
        expect(relErr(wout, out), `p=${p} out`).toBeLessThan(TOL);
        expect(relErr(wprobs, probs), `p=${p} probs`).toBeLessThan(TOL);
        const [dout, wdout] = pair(e, B * T * C, 'dout');
        const [dqkv, wdqkv] = pair(e, B * T * 3 * C, 'dqkv');
        ref.attentionBackward(dqkv, dout, qkv, probs, B, T, C, H, drops[0]);
        e.attentionBackward(wdqkv, wdout, wqkv, wprobs, B, T, C, H, drops[1]);
        expect(relErr(wdqkv, dqkv), `p=${p} dqkv`).toBeLessThan(TOL);
        if (p > 0) continue;
        const plain = e.alloc(B * T * 3 * C);
        e.attentionForward(plain.subarray(0, B * T * C), wprobs, wqkv, wmask, B, T, C, H);
        expect(plain.subarray(0, B * T * C)).toEqual(wout);
        e.attentionBackward(plain, wdout, wqkv, wprobs, B, T, C, H);
        expect(plain).toEqual(wdqkv);
      }
    });

    it('crossEntropy: loss and dlogits, ignored rows, odd vocabularies', () => {
      for (const [N, V] of [
        [9, 37],
        [5, 1000],
        [3, 4],
      ]) {
        const [logits, wlogits] = pair(e, N * V, 'logits', 3);
        const t = Array.from({ length: N }, (_, n) => (n % 3 === 1 ? -100 : (n * 7919) % V));
        const loss = ref.crossEntropy(logits, putInt(ref, t), N, V, 0.25);
        const wloss = e.crossEntropy(wlogits, putInt(e, t), N, V, 0.25);
        expect(Math.abs(wloss - loss) / loss).toBeLessThan(TOL);
        expect(relErr(wlogits, logits)).toBeLessThan(TOL);
      }
      expect(() => e.crossEntropy(e.alloc(3), putInt(e, [3]), 1, 3, 1)).toThrow(RangeError);
    });

    it('softmaxSample: the reference draws on sharp and flat rows, odd vocabularies, temperatures', () => {
      const rng = Rng.of(3, 0, 0, 'kernels softmaxSample');
      for (const [M, V, scale, temperature] of [
        [64, 37, 3, 1],
        [40, 1000, 8, 1],
        [40, 1000, 0.5, 2],
        [7, 4, 1, 0.5],
      ]) {
        const [logits, wlogits] = pair(e, M * V, 'logits', scale);
        const u = Array.from({ length: M }, () => rng.float());
        const out = new Int32Array(M);
        const wout = e.allocInt(M);
        ref.softmaxSample(out, logits, put(ref, u), M, V, temperature);
        e.softmaxSample(wout, wlogits, put(e, u), M, V, temperature);
        // f32 weights against f64 ones: a draw may differ only where u lands within rounding of a boundary
        expect(Array.from(wout)).toEqual(Array.from(out));
        expect(relErr(wlogits, logits)).toBe(0); // logits unchanged
      }
      const edges = put(e, [0, 0.999999]);
      const flat = put(e, new Array(2 * 6).fill(0));
      const picks = e.allocInt(2);
      e.softmaxSample(picks, flat, edges, 2, 6, 1);
      expect(Array.from(picks)).toEqual([0, 5]);
    });

    it('embedding, gatherRows, scatterAddRows (repeated ids)', () => {
      for (const C of [6, 5, 128]) {
        const rows = 11;
        const N = 23;
        const ids = Array.from({ length: N }, (_, n) => (n * 5) % rows);
        const [table, wtable] = pair(e, rows * C, 'table');
        for (const accumulate of [false, true]) {
          const [out, wout] = pair(e, N * C, 'out');
          ref.embeddingForward(out, table, putInt(ref, ids), N, C, accumulate);
          e.embeddingForward(wout, wtable, putInt(e, ids), N, C, accumulate);
          expect(relErr(wout, out)).toBeLessThan(TOL);
        }
        const [dout, wdout] = pair(e, N * C, 'dout');
        const [dtable, wdtable] = pair(e, rows * C, 'dtable');
        ref.embeddingBackward(dtable, dout, putInt(ref, ids), N, C);
        e.embeddingBackward(wdtable, wdout, putInt(e, ids), N, C);
        expect(relErr(wdtable, dtable)).toBeLessThan(TOL);
        const [g, wg] = pair(e, N * C, 'g');
        ref.gatherRows(g, table, putInt(ref, ids), N, C);
        e.gatherRows(wg, wtable, putInt(e, ids), N, C);
        expect(relErr(wg, g)).toBeLessThan(TOL);
        ref.scatterAddRows(dtable, dout, putInt(ref, ids), N, C);
        e.scatterAddRows(wdtable, wdout, putInt(e, ids), N, C);
        expect(relErr(wdtable, dtable)).toBeLessThan(TOL);
      }
      expect(() => e.gatherRows(e.alloc(2), e.alloc(4), putInt(e, [2]), 1, 2)).toThrow(RangeError);
    });

    it('add (aliased), scale, sumSquares', () => {
      const n = 1001;
      const [a, wa] = pair(e, n, 'a');
      const [b, wb] = pair(e, n, 'b');
      ref.add(a, a, b, n);
      e.add(wa, wa, wb, n);
      expect(relErr(wa, a)).toBeLessThan(TOL);
      ref.scale(a, n, -0.3);
      e.scale(wa, n, -0.3);
      expect(relErr(wa, a)).toBeLessThan(TOL);
      expect(Math.abs(e.sumSquares(wa, n) / ref.sumSquares(a, n) - 1)).toBeLessThan(1e-6);
    });

    it('dropout: the same rng gives the same mask as the reference; forward and backward', async () => {
      const { Rng } = await import('../../rng/rng.js');
      const n = 1001;
      for (const p of [0, 0.1, 1]) {
        const [x, wx] = pair(e, n, 'x');
        const [y, wy] = pair(e, n, 'y');
        const keep = ref.allocBytes(n);
        const wkeep = e.allocBytes(n);
        ref.dropoutForward(y, keep, x, n, p, Rng.of(7, 0, 0, 'dropout'));
        e.dropoutForward(wy, wkeep, wx, n, p, Rng.of(7, 0, 0, 'dropout'));
        expect(wkeep).toEqual(keep);
        expect(relErr(wy, y)).toBeLessThan(TOL);
        for (const accumulate of [false, true]) {
          const [dx, wdx] = pair(e, n, 'dx');
          ref.dropoutBackward(dx, x, keep, n, p, accumulate);
          e.dropoutBackward(wdx, wx, wkeep, n, p, accumulate);
          expect(relErr(wdx, dx)).toBeLessThan(TOL);
        }
      }
    });

    it('adamw: five steps track the reference', () => {
      const n = 1003;
      const [param, wparam] = pair(e, n, 'param');
      const m = ref.alloc(n),
        v = ref.alloc(n),
        wm = e.alloc(n),
        wv = e.alloc(n);
      for (let step = 1; step <= 5; step++) {
        const [g, wg] = pair(e, n, `grad${step}`);
        ref.adamw(param, g, m, v, n, 1e-2, 0.9, 0.999, 1e-8, 0.01, step);
        e.adamw(wparam, wg, wm, wv, n, 1e-2, 0.9, 0.999, 1e-8, 0.01, step);
      }
      expect(relErr(wparam, param)).toBeLessThan(TOL);
      expect(relErr(wm, m)).toBeLessThan(TOL);
      expect(relErr(wv, v)).toBeLessThan(TOL);
    });
  });
}
