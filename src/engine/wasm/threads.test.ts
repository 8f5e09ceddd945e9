// Dynamic work splitting (pool.ts): every kernel gives bit-identical results on 1 thread, on 2 threads, and on 2
// threads whose worker wakes late for every job (a test-only start delay, as when the second core is busy), and the
// calling thread never waits for a worker that has claimed nothing.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng/rng.js';
import { drawKeepMask, type AttentionShape } from '../engine.js';
import { randnF32 } from '../reference/check.case.js';
import { createWasmEngine, type WasmEngine, type WasmEngineOptions } from './index.js';

type Outputs = Map<string, Uint8Array>;

// Runs every kernel of the engine on fixed inputs (sizes off the SIMD and panel multiples) and copies each output.
function workload(e: WasmEngine): Outputs {
  const out: Outputs = new Map();
  const rand = (n: number, what: string, scale = 1) => {
    const t = e.alloc(n);
    t.set(randnF32(n, what, scale));
    return t;
  };
  const keep = (n: number, what: string) => {
    const k = e.allocBytes(n);
    drawKeepMask(k, n, 0.1, Rng.of(3, 0, 0, what));
    return k;
  };
  const save = (name: string, ...ts: ArrayBufferView[]) =>
    ts.forEach((t, i) =>
      out.set(`${name}.${i}`, new Uint8Array(t.buffer.slice(t.byteOffset, t.byteOffset + t.byteLength))),
    );
  const [M, N, K] = [150, 70, 300];
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
  ]) {
    const C = rand(M * N, 'C');
    e.matmul(C, rand(M * K, 'A'), rand(K * N, 'B'), M, N, K, tA, tB, 1);
    const D = e.alloc(N * M); // N < M: split by columns
    e.matmul(D, rand(N * K, 'A2'), rand(K * M, 'B2'), N, M, K, tA, tB, 0);
    save(`matmul ${tA} ${tB}`, C, D);
  }
  const [R, I, O] = [67, 33, 45];
  const x = rand(R * I, 'x'),
    W = rand(O * I, 'W'),
    b = rand(O, 'b'),
    y = e.alloc(R * O);
  e.linearForward(y, x, W, b, R, I, O);
  const dx = rand(R * I, 'dx'),
    dW = rand(O * I, 'dW'),
    db = rand(O, 'db');
  e.linearBackward(dx, dW, db, rand(R * O, 'dy'), x, W, R, I, O, true);
  save('linear', y, dx, dW, db);
  const n = 4099;
  const v = rand(n, 'v'),
    g = rand(n, 'g');
  for (const form of ['erf', 'tanh'] as const) {
    const gy = e.alloc(n),
      gdx = rand(n, 'gdx');
    e.geluForward(gy, v, n, form);
    e.geluBackward(gdx, g, v, n, form, true);
    save(`gelu ${form}`, gy, gdx);
  }
  const ty = e.alloc(n),
    tdx = e.alloc(n),
    ry = e.alloc(n),
    rdx = rand(n, 'rdx');
  e.tanhForward(ty, v, n);
  e.tanhBackward(tdx, g, ty, n, false);
  e.reluForward(ry, v, n);
  e.reluBackward(rdx, g, ry, n, true);
  save('tanh relu', ty, tdx, ry, rdx);
  const [LN, LC] = [203, 37];
  const lx = rand(LN * LC, 'lx'),
    gamma = rand(LC, 'gamma'),
    beta = rand(LC, 'beta');
  const ly = e.alloc(LN * LC),
    mean = e.alloc(LN),
    rstd = e.alloc(LN);
  e.layerNormForward(ly, mean, rstd, lx, gamma, beta, LN, LC, 1e-5);
  const ldx = e.alloc(LN * LC),
    dg = rand(LC, 'dg'),
    dbt = rand(LC, 'dbt'),
    ldy = rand(LN * LC, 'ldy');
  e.layerNormBackward(ldx, dg, dbt, ldy, lx, mean, rstd, gamma, LN, LC, false);
  save('layerNorm', ly, mean, rstd, ldx, dg, dbt);
  const sy = e.alloc(LN * LC),
    srstd = e.alloc(LN),
    sdx = rand(LN * LC, 'sdx'),
    sdg = rand(LC, 'sdg');
  e.rmsNormForward(sy, srstd, lx, gamma, LN, LC, 1e-6);
  e.rmsNormBackward(sdx, sdg, ldy, lx, srstd, gamma, LN, LC, true);
  save('rmsNorm', sy, srstd, sdx, sdg);
  const [F] = [21];
  const h = rand(LN * 2 * F, 'h'),
    gg = e.alloc(LN * F),
    dh = e.alloc(LN * 2 * F);
  e.gatedGeluForward(gg, h, LN, F);
  e.gatedGeluBackward(dh, rand(LN * F, 'ggdy'), h, LN, F);
  save('gatedGelu', gg, dh);
  const [B, T, AC, H] = [3, 13, 24, 4];
  for (const p of [0, 0.1]) {
    const qkv = rand(B * T * 3 * AC, 'qkv'),
      probs = e.alloc(B * H * T * T),
      ao = e.alloc(B * T * AC),
      dqkv = e.alloc(B * T * 3 * AC);
    const drop = p === 0 ? undefined : { p, keep: keep(B * H * T * T, 'attn') };
    e.attentionForward(ao, probs, qkv, rand(B * T * T, 'mask'), B, T, AC, H, drop);
    e.attentionBackward(dqkv, rand(B * T * AC, 'dout'), qkv, probs, B, T, AC, H, drop);
    save(`attention ${p}`, ao, probs, dqkv);
  }
  const s: AttentionShape = { B: 3, Tq: 9, Tk: 14, H: 3, D: 5, ldq: 15, ldkv: 30, scale: 1 };
  const buckets = e.allocInt(s.Tq * s.Tk);
  buckets.set(Array.from({ length: s.Tq * s.Tk }, (_, i) => (i * 7) % 11));
  const table = rand(11 * s.H, 'table'),
    bias = e.alloc(s.H * s.Tq * s.Tk);
  e.relativeBiasForward(bias, table, buckets, s.Tq, s.Tk, s.H);
  const q = rand(s.B * s.Tq * s.ldq, 'q'),
    kv = rand(s.B * s.Tk * s.ldkv, 'kv');
  const bo = e.alloc(s.B * s.Tq * s.H * s.D),
    bprobs = e.alloc(s.B * s.H * s.Tq * s.Tk);
  const bdrop = { p: 0.1, keep: keep(s.B * s.H * s.Tq * s.Tk, 'biased') };
  e.biasedAttentionForward(bo, bprobs, q, kv, bias, rand(s.B * s.Tq * s.Tk, 'bmask'), s, bdrop);
  const dq = e.alloc(q.length),
    dkv = e.alloc(kv.length),
    ds = e.alloc(bprobs.length),
    dtable = rand(table.length, 'dtable');
  e.biasedAttentionBackward(dq, dkv, ds, rand(bo.length, 'bdout'), q, kv, bprobs, s, bdrop);
  e.relativeBiasBackward(dtable, ds, buckets, s.B, s.Tq, s.Tk, s.H);
  save('biasedAttention', bias, bo, bprobs, dq, dkv, ds, dtable);
  const [CN, CV] = [37, 1001];
  const logits = rand(CN * CV, 'logits'),
    targets = e.allocInt(CN);
  targets.set(Array.from({ length: CN }, (_, i) => (i % 5 === 0 ? -100 : (i * 131) % CV)));
  const loss = new Float64Array([e.crossEntropy(logits, targets, CN, CV, 1 / CN)]);
  save('crossEntropy', logits, loss);
  const [EN, EC, rows] = [57, 19, 23];
  const ids = e.allocInt(EN);
  ids.set(Array.from({ length: EN }, (_, i) => (i * 5) % rows));
  const etable = rand(rows * EC, 'etable'),
    eo = rand(EN * EC, 'eo'),
    edt = rand(rows * EC, 'edt'),
    go = e.alloc(EN * EC),
    gdx = rand(rows * EC, 'gdx2');
  e.embeddingForward(eo, etable, ids, EN, EC, true);
  e.embeddingBackward(edt, rand(EN * EC, 'edout'), ids, EN, EC);
  e.gatherRows(go, etable, ids, EN, EC);
  e.scatterAddRows(gdx, eo, ids, EN, EC);
  save('rows', eo, edt, go, gdx);
  const big = 70001;
  const a = rand(big, 'a'),
    c = rand(big, 'c'),
    dy = e.alloc(big),
    mask = e.allocBytes(big),
    ddx = rand(big, 'ddx');
  e.add(a, a, c, big);
  e.scale(a, big, 0.7);
  const sq = new Float64Array([e.sumSquares(a, big)]);
  e.dropoutForward(dy, mask, a, big, 0.2, Rng.of(5, 0, 0, 'dropout'));
  e.dropoutBackward(ddx, c, mask, big, 0.2, true);
  const m = e.alloc(big),
    vv = e.alloc(big);
  for (let step = 1; step <= 2; step++) e.adamw(a, c, m, vv, big, 1e-2, 0.9, 0.999, 1e-8, 0.01, step);
  save('elementwise', sq, dy, mask, ddx, a, m, vv);
  return out;
}

async function run(options: WasmEngineOptions): Promise<{ outputs: Outputs; mainChunks: number; chunks: number }> {
  const e = await createWasmEngine({ build: 'relaxed', ...options });
  const outputs = workload(e);
  const { mainChunks, chunks } = e.poolStats;
  e.dispose();
  return { outputs, mainChunks, chunks };
}

function expectSame(got: Outputs, want: Outputs, what: string): void {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [name, bytes] of want)
    expect(Buffer.from(got.get(name)!).equals(Buffer.from(bytes)), `${what}: ${name}`).toBe(true);
}

describe('wasm engine threads: dynamic chunks', () => {
  it('every kernel is bit-identical on 1 thread, 2 threads, and 2 threads with a worker that wakes late', async () => {
    const one = await run({ threads: 1 });
    const two = await run({ threads: 2, splitAll: true });
    expect(two.chunks).toBeGreaterThan(100); // the workload was cut into chunks
    expectSame(two.outputs, one.outputs, '2 threads');
    // 0.05 and 0.3 ms: the worker joins some jobs part-way (a chunk or more left); 3 ms: it joins almost none.
    for (const startDelayMs of [0.05, 0.3, 3]) {
      const late = await run({ threads: 2, splitAll: true, startDelayMs });
      expectSame(late.outputs, one.outputs, `2 threads, worker ${startDelayMs} ms late`);
    }
    const again = await run({ threads: 2, splitAll: true, startDelayMs: 1 });
    expectSame(again.outputs, one.outputs, 'a second run');
    // adaptive (the default): kernels that go inline after a late worker give the same bits
    const adaptive = await run({ threads: 2, startDelayMs: 0.3 });
    expectSame(adaptive.outputs, one.outputs, '2 threads, adaptive, worker 0.3 ms late');
  }, 120_000);

  it('adaptive: a kernel whose split jobs wait on a late worker runs inline, and is split again less and less often', async () => {
    // the worker naps 5 ms after every wake-up: it never joins a job in time, so splitting costs the hand-off and
    // gains nothing
    const e = await createWasmEngine({ threads: 2, startDelayMs: 5 });
    const n = 128;
    const A = e.alloc(n * n).fill(0.5),
      B = e.alloc(n * n).fill(0.25),
      C = e.alloc(n * n);
    const jobs = 200;
    for (let i = 0; i < jobs; i++) e.matmul(C, A, B, n, n, n, false, false, 0);
    expect(C.every((c) => c === 0.125 * n)).toBe(true);
    const { jobs: split, inlineJobs } = e.poolStats;
    expect(split + inlineJobs).toBe(jobs);
    // the first job, then probes after 16, 32 and 64 inline jobs (jobs 1, 17, 49, 113): the interval doubles while
    // probes lose, where a probe every 16th job would split 13 of the 200
    expect(split).toBeGreaterThanOrEqual(3);
    expect(split).toBeLessThanOrEqual(5);
    e.dispose();
    // without adaptation the same jobs are all split
    const fixed = await createWasmEngine({ threads: 2, startDelayMs: 5, adaptive: false });
    const [A2, B2, C2] = [fixed.alloc(n * n).fill(0.5), fixed.alloc(n * n).fill(0.25), fixed.alloc(n * n)];
    for (let i = 0; i < jobs; i++) fixed.matmul(C2, A2, B2, n, n, n, false, false, 0);
    expect(fixed.poolStats.jobs).toBe(jobs);
    expect(fixed.poolStats.inlineJobs).toBe(0);
    fixed.dispose();
  });

  it('the calling thread takes every chunk of a job the worker has not joined, and returns without it', async () => {
    const e = await createWasmEngine({ threads: 2, splitAll: true, startDelayMs: 60_000 });
    const [M, N, K] = [64, 48, 32];
    const A = e.alloc(M * K).fill(1),
      B = e.alloc(K * N).fill(2),
      C = e.alloc(M * N);
    e.matmul(C, A, B, M, N, K, false, false, 0);
    expect(C.every((c) => c === 2 * K)).toBe(true);
    expect(e.poolStats.jobs).toBe(1);
    expect(e.poolStats.chunks).toBeGreaterThan(1);
    expect(e.poolStats.mainChunks).toBe(e.poolStats.chunks);
    e.dispose();
  });

  it('an awake worker takes a share of the chunks', async () => {
    const e = await createWasmEngine({ threads: 2, adaptive: false });
    const n = 384;
    const A = e.alloc(n * n).fill(0.5),
      B = e.alloc(n * n).fill(0.25),
      C = e.alloc(n * n);
    for (let i = 0; i < 20; i++) e.matmul(C, A, B, n, n, n, false, false, 0);
    expect(e.poolStats.mainChunks).toBeLessThan(e.poolStats.chunks);
    e.dispose();
  });
});
