// npm run bench:train: one training step of every architecture (arch-steps.ts: BERT MLM, BERT MLM + NSP, GPT-2, T5,
// ELECTRA) at the tiny and small presets, batch 32 x 128, fp32, dropout 0, AdamW, on the wasm engine at 1 and 2
// threads, and, where Debian's PyTorch is installed, the same step in PyTorch in the same run, round after round
// (tools/bench-train-torch.py: the same HF modules, config and batch; OpenBLAS's AVX-512 kernels through
// OPENBLAS_CORETYPE=Cooperlake; 1 and 2 threads, each in its own process). Prints ms per step (the median after
// warm-up within a round, the best of --rounds rounds) and the ratio of pretext's best tokens/s to PyTorch's best; the parameter counts of the two sides must agree.
// Flags: --preset tiny|small (default both), --arch ID,... (bert-mlm, bert-pair, gpt2, t5, electra; default all),
// --threads N,... (pretext's, default 1,2), --warmup N (2), --timed N (5), --rounds N (3), --reference (also the reference engine,
// tiny only), --no-torch, --json, --busy (a spinning process holds one core for the whole run, both sides: the
// "second core busy" case).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { presetLayer, resolveConfig, type Config } from '../src/config/index.js';
import type { Engine } from '../src/engine/engine.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { createWasmEngine } from '../src/engine/wasm/index.js';
import { ARCHS, archStep, timeStep, type ArchId, type ArchStep } from './arch-steps.js';

const PYTHON = '/usr/bin/python3';

interface Row {
  preset: string;
  arch: ArchId;
  side: 'pretext' | 'pytorch';
  engine: string;
  threads: number;
  parameters: number;
  step_ms: number;
  tokens_per_s: number;
}

const argValue = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : process.argv[i + 1];
};
const has = (flag: string) => process.argv.includes(flag);
const only = argValue('--arch')?.split(','); // e.g. --arch t5 (default: every architecture)
const engineThreads = (argValue('--threads') ?? '1,2').split(',').map(Number); // pretext's thread counts
const round = (x: number, d: number) => Number(x.toFixed(d));
// One line per measured row on stderr as it lands, so a long run shows where it is (the table comes at the end).
const progress = (line: string) => process.stderr.write(`bench:train: ${line}\n`);

function presetConfig(preset: string): Config {
  return resolveConfig(presetLayer(preset), { source: 'bench', values: { dropout: 0, steps: 1000 } });
}

// Every step reads batchSize rows of seqLen raw tokens (T5's before span corruption shortens them).
function measure(
  preset: string,
  config: Config,
  engine: Engine,
  name: string,
  warmup: number,
  timed: number,
  seen?: (id: ArchId, s: ArchStep) => void,
): Row[] {
  return ARCHS.filter(({ id }) => only === undefined || only.includes(id)).map(({ id }) => {
    const s = archStep(id, config, engine);
    seen?.(id, s);
    const ms = timeStep(s.step, warmup, timed);
    const tokens = config.batchSize * config.seqLen;
    progress(`${preset} ${id} ${name} x${engine.threads}: ${ms.toFixed(1)} ms per step`);
    return {
      preset,
      arch: id,
      side: 'pretext',
      engine: name,
      threads: engine.threads,
      parameters: s.parameters,
      step_ms: round(ms, 1),
      tokens_per_s: Math.round((tokens * 1000) / ms),
    };
  });
}

// The batch as { name: { shape, data } } for the PyTorch side.
function batchJson(s: ArchStep): Record<string, { shape: number[]; data: number[] }> {
  const b = s.batch;
  const out: Record<string, { shape: number[]; data: number[] }> = {};
  for (const [name, v] of Object.entries(b)) {
    if (!ArrayBuffer.isView(v)) continue;
    const a = v as unknown as ArrayLike<number>;
    const cols =
      name.startsWith('decoder_') || (name === 'labels' && b.decoderLength !== undefined)
        ? (b.decoderLength as number)
        : a.length / b.batchSize;
    out[name] = { shape: a.length === b.batchSize ? [b.batchSize] : [b.batchSize, cols], data: Array.from(a) };
  }
  return out;
}

function torchScript(): string | null {
  for (const rel of ['../../tools/bench-train-torch.py', '../tools/bench-train-torch.py']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  return null;
}

function hasTorch(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function measureTorch(script: string, cases: object[], threads: number, warmup: number, timed: number): Row[] {
  const n = String(threads);
  const env = {
    ...process.env,
    OPENBLAS_CORETYPE: 'Cooperlake',
    OPENBLAS_NUM_THREADS: n,
    OMP_NUM_THREADS: n,
    MKL_NUM_THREADS: n,
  };
  const r = spawnSync(PYTHON, [script], {
    input: JSON.stringify({ cases, threads, warmup, timed }),
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`bench-train-torch.py (${threads} threads) failed:\n${r.stderr}`);
  progress(`pytorch x${threads}: ${cases.length} steps measured`);
  return (JSON.parse(r.stdout) as Row[]).map((row) => ({ ...row, side: 'pytorch', engine: 'pytorch', threads }));
}

function best(rows: Row[], preset: string, arch: ArchId, side: Row['side']): Row | undefined {
  return rows
    .filter((r) => r.preset === preset && r.arch === arch && r.side === side)
    .sort((a, b) => b.tokens_per_s - a.tokens_per_s)[0];
}

function print(rows: Row[], presets: string[], rounds: number): void {
  for (const preset of presets) {
    const c = presetConfig(preset);
    console.log(
      `\n${preset}: C ${c.hiddenSize}, L ${c.numLayers}, H ${c.numHeads}, F ${c.ffnSize}, V ${c.vocabSize}; batch ${c.batchSize} x ${c.seqLen}, fp32, dropout 0, AdamW (ms per step: median of a round, best of ${rounds} rounds)`,
    );
    const engines = [...new Set(rows.filter((r) => r.preset === preset).map((r) => `${r.engine} x${r.threads}`))];
    console.log(
      `${'architecture'.padEnd(16)}${'params'.padStart(11)}${engines.map((e) => e.padStart(20)).join('')}${'vs PyTorch'.padStart(12)}`,
    );
    for (const { id, title } of ARCHS) {
      const mine = rows.filter((r) => r.preset === preset && r.arch === id);
      if (mine.length === 0) continue;
      const cells = engines.map((e) => {
        const r = mine.find((m) => `${m.engine} x${m.threads}` === e);
        return (r ? `${r.step_ms.toFixed(1)} (${(r.tokens_per_s / 1000).toFixed(1)}k/s)` : '-').padStart(20);
      });
      const [p, t] = [best(rows, preset, id, 'pretext'), best(rows, preset, id, 'pytorch')];
      const ratio = p && t ? `${(p.tokens_per_s / t.tokens_per_s).toFixed(2)}x` : '-';
      console.log(
        `${title.padEnd(16)}${mine[0].parameters.toLocaleString('en-US').padStart(11)}${cells.join('')}${ratio.padStart(12)}`,
      );
    }
  }
  console.log(
    "\nvs PyTorch: pretext's best tokens/s (1 or 2 threads) over PyTorch's best (1 or 2 threads), measured in this run.",
  );
  if (has('--busy')) console.log('--busy: another process spun on one core throughout, for both sides.');
}

// A process that spins on one core until this one exits (--busy).
function holdOneCore(): void {
  const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  hog.unref();
  process.on('exit', () => hog.kill('SIGKILL'));
}

// The fastest of the rounds for each (preset, architecture, engine, threads): on a shared virtual machine a step's
// time varies between minutes by up to 1.5x, so both sides are measured in every round, one after the other.
function bestOfRounds(rows: Row[]): Row[] {
  const byCell = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.preset} ${r.arch} ${r.engine} ${r.threads}`;
    const seen = byCell.get(key);
    if (!seen || r.step_ms < seen.step_ms) byCell.set(key, r);
  }
  return [...byCell.values()];
}

async function main(): Promise<void> {
  if (has('--busy')) holdOneCore();
  const presets = argValue('--preset') ? [argValue('--preset') as string] : ['tiny', 'small'];
  const warmup = Number(argValue('--warmup') ?? 2);
  const timed = Number(argValue('--timed') ?? 5);
  const rounds = Number(argValue('--rounds') ?? 3);
  const script = torchScript();
  const withTorch = !has('--no-torch') && script !== null && hasTorch();
  if (!has('--no-torch') && !withTorch)
    console.error(`bench:train: no PyTorch (${PYTHON} -c 'import torch' failed): pretext rows only`);
  const measured: Row[] = [];
  const cases: object[] = []; // the PyTorch side's steps, taken from round 1's (every round builds the same)
  for (let round = 1; round <= rounds; round++) {
    progress(`round ${round} of ${rounds}`);
    for (const preset of presets) {
      const config = presetConfig(preset);
      if (has('--reference') && preset === 'tiny' && round === 1)
        measured.push(...measure(preset, config, createReferenceEngine(), 'reference', 0, 1));
      const toTorch = (arch: ArchId, s: ArchStep) =>
        cases.push({
          preset,
          arch,
          config: s.config,
          generator: s.generator,
          batch: batchJson(s),
          tokens: config.batchSize * config.seqLen,
        });
      for (const threads of engineThreads) {
        const e = await createWasmEngine({ threads });
        measured.push(
          ...measure(
            preset,
            config,
            e,
            `wasm ${e.build}`,
            warmup,
            timed,
            threads === engineThreads[0] && round === 1 ? toTorch : undefined,
          ),
        );
        e.dispose();
      }
    }
    if (withTorch) for (const threads of [1, 2]) measured.push(...measureTorch(script, cases, threads, warmup, timed));
  }
  const rows = bestOfRounds(measured);
  for (const r of rows.filter((x) => x.side === 'pytorch')) {
    const mine = rows.find((x) => x.side === 'pretext' && x.preset === r.preset && x.arch === r.arch);
    if (mine && mine.parameters !== r.parameters)
      throw new Error(
        `bench:train: ${r.preset} ${r.arch} has ${mine.parameters} parameters in pretext but ${r.parameters} in PyTorch`,
      );
  }
  if (has('--json')) console.log(JSON.stringify(rows, null, 2));
  else print(rows, presets, rounds);
}

await main();
