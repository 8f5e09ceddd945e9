// npm run bench:train: one training step of the tiny preset's BERT -- batch 32 x 128 tokens, MLM at 15% with sparse
// prediction (the head runs on the ~615 masked rows only), AdamW, fp32, dropout 0 -- on the reference engine and on
// the wasm engine at 1 and 2 threads. Prints ms per step (median after warm-up), tokens/s, the share of the step
// spent in GEMMs (linearForward / linearBackward / matmul, timed inside the step) and their GFLOP/s for the step's
// shapes, and the ratio against PyTorch's 22,000 tokens/s on this machine class. `-- --json` prints
// [{ engine, threads, step_ms, tokens_per_s, ... }]; `-- --no-reference` skips the slow reference engine.
// Rows are random ids (the cost does not depend on the text); the masking, batching and optimizer are the trainer's.
import { presetLayer, resolveConfig } from '../src/config/index.js';
import type { Engine } from '../src/engine/engine.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { createWasmEngine } from '../src/engine/wasm/index.js';
import type { VocabInfo } from '../src/tokenize/vocab.js';
import { Rng } from '../src/rng/rng.js';
import { prepareRun, type TokenizedCorpus } from '../src/train/index.js';
import { benchElectra, type ElectraResult } from './electra-step.js';
import { benchT5, torchT5, type T5Result } from './t5-step.js';

const PYTORCH_TOKENS_PER_S = 22000;
const config = resolveConfig(presetLayer('tiny'), { source: 'bench', values: { dropout: 0, maskProb: 0.15, steps: 1000 } });
const vocab: VocabInfo = { vocabSize: config.vocabSize, padId: 0, unkId: 1, clsId: 2, sepId: 3, maskId: 4, specialIds: [0, 1, 2, 3, 4] };

// Documents of one 126-token sentence each: every row is [CLS] 126 ids [SEP] = 128 tokens.
function corpus(rows: number): TokenizedCorpus {
  const n = config.seqLen - 2;
  const rng = Rng.of(0, 0, 0, 'bench:train');
  const ids = new Int32Array(rows * n);
  for (let i = 0; i < ids.length; i++) ids[i] = 5 + rng.int(config.vocabSize - 5);
  const bounds = Int32Array.from({ length: rows + 1 }, (_, r) => r * n);
  return { ids, segments: bounds, documents: Int32Array.from({ length: rows + 1 }, (_, r) => r) };
}

interface GemmClock {
  ms: number;
  flops: number;
}

// The engine with its GEMM entry points timed (wall clock, so threads count).
function timedEngine(e: Engine, clock: GemmClock): Engine {
  const time = <A extends unknown[]>(f: (...a: A) => void, flops: (...a: A) => number) => (...a: A) => {
    const t0 = performance.now();
    f(...a);
    clock.ms += performance.now() - t0;
    clock.flops += flops(...a);
  };
  const over: Partial<Engine> = {
    linearForward: time(e.linearForward.bind(e), (_y, _x, _W, _b, N, I, O) => 2 * N * I * O),
    linearBackward: time(e.linearBackward.bind(e), (dx, _dW, _db, _dy, _x, _W, N, I, O) => (dx ? 4 : 2) * N * I * O),
    matmul: time(e.matmul.bind(e), (_C, _A, _B, M, N, K) => 2 * M * N * K),
  };
  return new Proxy(e, { get: (t, k) => (k in over ? over[k as keyof Engine] : (t as unknown as Record<string | symbol, unknown>)[k]) }) as Engine;
}

interface Result {
  engine: 'reference' | 'wasm';
  threads: number;
  build?: string;
  step_ms: number;
  tokens_per_s: number;
  gemm_ms: number;
  gemm_gflops: number;
  steps_timed: number;
  vs_pytorch: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function bench(engine: Engine, warmup: number, timed: number, build?: string): Result {
  const clock: GemmClock = { ms: 0, flops: 0 };
  const { trainer } = prepareRun(config, vocab, { train: corpus(4 * config.batchSize) }, timedEngine(engine, clock));
  for (let i = 0; i < warmup; i++) trainer.trainStep();
  const steps: number[] = [];
  const gemm: GemmClock[] = [];
  for (let i = 0; i < timed; i++) {
    clock.ms = clock.flops = 0;
    const t0 = performance.now();
    trainer.trainStep();
    steps.push(performance.now() - t0);
    gemm.push({ ...clock });
  }
  const stepMs = median(steps);
  const gemmMs = median(gemm.map((g) => g.ms));
  const tokens = config.batchSize * config.seqLen;
  const tps = (tokens * 1000) / stepMs;
  return {
    engine: engine.name,
    threads: engine.threads,
    build,
    step_ms: round(stepMs, 1),
    tokens_per_s: Math.round(tps),
    gemm_ms: round(gemmMs, 1),
    gemm_gflops: round(median(gemm.map((g) => g.flops)) / (gemmMs * 1e6), 2),
    steps_timed: timed,
    vs_pytorch: round(tps / PYTORCH_TOKENS_PER_S, 3),
  };
}

const round = (x: number, d: number) => Number(x.toFixed(d));

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const results: Result[] = [];
  const t5: T5Result[] = [];
  const electra: ElectraResult[] = [];
  if (!process.argv.includes('--no-reference')) {
    const e = createReferenceEngine();
    results.push(bench(e, 1, 2));
    t5.push(benchT5(config, e, 1, 2));
    electra.push(benchElectra(config, e, 1, 2));
  }
  for (const threads of [1, 2]) {
    const e = await createWasmEngine({ threads });
    results.push(bench(e, 3, 7, e.build));
    t5.push(benchT5(config, e, 3, 7, e.build));
    electra.push(benchElectra(config, e, 3, 7, e.build));
    e.dispose();
  }
  const torch = torchT5(config, 3, 7);
  const torchMs = torch ? Math.min(...Object.values(torch)) : undefined;
  for (const r of t5) r.vs_pytorch = torchMs === undefined ? undefined : Number((torchMs / r.step_ms).toFixed(3));
  if (json) {
    console.log(JSON.stringify([...results, ...t5, ...(torch ? [{ model: 't5', engine: 'pytorch', ms_per_threads: torch }] : []), ...electra], null, 2));
    return;
  }
  console.log(`train step: tiny BERT (C ${config.hiddenSize}, L ${config.numLayers}, H ${config.numHeads}, F ${config.ffnSize}, V ${config.vocabSize}), batch ${config.batchSize} x ${config.seqLen}, MLM 15% sparse, AdamW, fp32, dropout 0`);
  console.log(`${'engine'.padEnd(28)}${'ms/step'.padStart(10)}${'tokens/s'.padStart(10)}${'GEMM ms'.padStart(10)}${'GEMM GF/s'.padStart(11)}${'vs PyTorch'.padStart(12)}`);
  for (const r of results) {
    const name = `${r.engine}${r.engine === 'wasm' ? ` ${r.build} x${r.threads}` : ''} (${r.steps_timed} steps)`;
    console.log(`${name.padEnd(28)}${r.step_ms.toFixed(1).padStart(10)}${r.tokens_per_s.toLocaleString('en-US').padStart(10)}${r.gemm_ms.toFixed(1).padStart(10)}${r.gemm_gflops.toFixed(2).padStart(11)}${`${r.vs_pytorch.toFixed(2)}x`.padStart(12)}`);
  }
  console.log(`PyTorch reference: ${PYTORCH_TOKENS_PER_S.toLocaleString('en-US')} tokens/s (same step, measured on this machine class)`);
  const [te, td] = [t5[0].encoder_length, t5[0].decoder_length];
  console.log(`\ntrain step: tiny T5ForConditionalGeneration (d_model ${config.hiddenSize}, ${config.numLayers} + ${config.numLayers} blocks, H ${config.numHeads}, d_ff ${config.ffnSize}, relu, tied), span corruption of ${config.batchSize} x ${config.seqLen} (encoder ${te}, decoder ${td}), AdamW, fp32, dropout 0`);
  console.log(`${'engine'.padEnd(28)}${'ms/step'.padStart(10)}${'tokens/s'.padStart(10)}${'vs PyTorch'.padStart(12)}`);
  for (const r of t5) {
    const name = `${r.engine}${r.engine === 'wasm' ? ` ${r.build} x${r.threads}` : ''} (${r.steps_timed} steps)`;
    const ratio = r.vs_pytorch === undefined ? '-' : `${r.vs_pytorch.toFixed(2)}x`;
    console.log(`${name.padEnd(28)}${r.step_ms.toFixed(1).padStart(10)}${r.tokens_per_s.toLocaleString('en-US').padStart(10)}${ratio.padStart(12)}`);
  }
  if (torch) console.log(`PyTorch (tools/bench-t5-torch.py, same model and batch, measured in this run): ${Object.entries(torch).map(([n, ms]) => `${ms.toFixed(1)} ms at ${n} thread${n === '1' ? '' : 's'}`).join(', ')}; the ratio divides by the better`);
  else console.log('PyTorch: /usr/bin/python3 with torch not found, no T5 ratio');
  console.log(`\ntrain step: tiny ELECTRA (discriminator C ${config.hiddenSize}, embedding_size ${config.hiddenSize / 2}, L ${config.numLayers}; generator C ${config.hiddenSize / 4}), batch ${config.batchSize} x ${config.seqLen}, ${electra[0].draws} draws, generator MLM + 50 x discriminator BCE, AdamW, fp32, dropout 0; no PyTorch baseline yet`);
  console.log(`${'engine'.padEnd(28)}${'ms/step'.padStart(10)}${'tokens/s'.padStart(10)}`);
  for (const r of electra) {
    const name = `${r.engine}${r.engine === 'wasm' ? ` ${r.build} x${r.threads}` : ''} (${r.steps_timed} steps)`;
    console.log(`${name.padEnd(28)}${r.step_ms.toFixed(1).padStart(10)}${r.tokens_per_s.toLocaleString('en-US').padStart(10)}`);
  }
}

await main();
