// npm run bench:gemm: GFLOP/s of the GEMMs in the reference training step (tiny BERT: batch 32 x 128 tokens = 4096
// rows, hidden 128, FFN 512, qkv 384, vocab 8192 MLM head on ~15% = 608 rows; forward y = x W^T, dX = dy W,
// dW = dy^T x), and attention forward + backward at B=32, T=128, C=128, H=2, for the reference engine and the
// wasm engine on 1 and 2 threads. Median of several timed runs after warm-up. `-- --json` prints a JSON array;
// `-- --no-reference` skips the (slow) reference engine. Not a test: numbers depend on the machine and its load.
import type { Engine } from '../src/engine/engine.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { createWasmEngine } from '../src/engine/wasm/index.js';
import { Rng } from '../src/rng/rng.js';

interface Gemm {
  name: string;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
}

// Linear(I -> O) on R rows: forward (R, O, I) NT, dX (R, I, O) NN, dW (O, I, R) TN.
function linear(name: string, R: number, I: number, O: number): Gemm[] {
  return [
    { name: `${name} fwd`, M: R, N: O, K: I, transA: false, transB: true },
    { name: `${name} dX`, M: R, N: I, K: O, transA: false, transB: false },
    { name: `${name} dW`, M: O, N: I, K: R, transA: true, transB: false },
  ];
}

const ROWS = 4096;
const GEMMS: Gemm[] = [
  ...linear('qkv 128->384', ROWS, 128, 384),
  ...linear('attn out 128->128', ROWS, 128, 128),
  ...linear('ffn up 128->512', ROWS, 128, 512),
  ...linear('ffn down 512->128', ROWS, 512, 128),
  ...linear('mlm head 128->8192', 608, 128, 8192),
];
const ATTENTION = { B: 32, T: 128, C: 128, H: 2 };

interface Result {
  bench: string;
  engine: string;
  threads: number;
  build?: string;
  M?: number;
  N?: number;
  K?: number;
  medianMs: number;
  bestMs: number;
  gflops?: number;
}

// Median and best of timed runs: at least 3 and until ~0.4 s, at most 15; warm-up runs first unless one run is slow.
function time(run: () => void): { median: number; best: number } {
  let t0 = performance.now();
  run();
  const first = performance.now() - t0;
  if (first < 200) for (let i = 0; i < 2; i++) run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (times.length < 15 && performance.now() - start < 400)) {
    t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], best: times[0] };
}

function filled(e: Engine, n: number, rng: Rng, scale = 1): Float32Array {
  const t = e.alloc(n);
  for (let i = 0; i < n; i++) t[i] = (rng.float() - 0.5) * scale;
  return t;
}

function benchEngine(e: Engine, label: string, build: string | undefined): Result[] {
  const rng = Rng.of(0, 0, 0, 'bench:gemm');
  const results: Result[] = [];
  for (const g of GEMMS) {
    const A = filled(e, g.M * g.K, rng);
    const B = filled(e, g.K * g.N, rng);
    const C = e.alloc(g.M * g.N);
    const { median, best } = time(() => e.matmul(C, A, B, g.M, g.N, g.K, g.transA, g.transB, 0));
    const gflops = (2 * g.M * g.N * g.K) / (median * 1e6);
    results.push({
      bench: g.name,
      engine: label,
      threads: e.threads,
      build,
      M: g.M,
      N: g.N,
      K: g.K,
      medianMs: median,
      bestMs: best,
      gflops,
    });
  }
  const { B, T, C, H } = ATTENTION;
  const qkv = filled(e, B * T * 3 * C, rng, 2);
  const out = e.alloc(B * T * C);
  const probs = e.alloc(B * H * T * T);
  const dout = filled(e, B * T * C, rng);
  const dqkv = e.alloc(B * T * 3 * C);
  const { median, best } = time(() => {
    e.attentionForward(out, probs, qkv, null, B, T, C, H);
    e.attentionBackward(dqkv, dout, qkv, probs, B, T, C, H);
  });
  // Forward 2 products of T x T x hs per head, backward 4: 6 * 2 * B * H * T * T * (C / H) flops.
  const gflops = (12 * B * T * T * C) / (median * 1e6);
  results.push({
    bench: `attention fwd+bwd B=${B} T=${T} C=${C} H=${H}`,
    engine: label,
    threads: e.threads,
    build,
    medianMs: median,
    bestMs: best,
    gflops,
  });
  return results;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const withReference = !process.argv.includes('--no-reference');
  const results: Result[] = [];
  const columns: string[] = [];
  if (withReference) {
    results.push(...benchEngine(createReferenceEngine(), 'reference', undefined));
    columns.push('reference');
  }
  for (const threads of [1, 2]) {
    const e = await createWasmEngine({ threads });
    const label = `wasm x${threads}`;
    results.push(...benchEngine(e, label, e.build));
    columns.push(label);
    e.dispose();
  }
  if (json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  const build = results.find((r) => r.build)?.build;
  console.log(`GFLOP/s, median (wasm build: ${build}; ${columns.join(', ')})`);
  const names = [...new Set(results.map((r) => r.bench))];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const shape = (r: Result | undefined) => (r?.M ? `${r.M}x${r.N}x${r.K}` : '');
  console.log(`${'bench'.padEnd(width)}${'M x N x K'.padEnd(16)}${columns.map((c) => c.padStart(12)).join('')}`);
  for (const name of names) {
    const row = results.filter((r) => r.bench === name);
    const cells = columns.map((c) => {
      const r = row.find((x) => x.engine === c);
      return (r?.gflops === undefined ? '-' : r.gflops.toFixed(1)).padStart(12);
    });
    console.log(`${name.padEnd(width)}${shape(row[0]).padEnd(16)}${cells.join('')}`);
  }
  const attention = results.filter((r) => r.bench.startsWith('attention'));
  console.log(`attention fwd+bwd ms: ${attention.map((r) => `${r.engine} ${r.medianMs.toFixed(1)}`).join(', ')}`);
}

await main();
