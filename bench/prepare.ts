// npm run bench:prepare: pretext prepare end to end (read, tokenize, write Megatron bin/idx) on generated corpora,
// with workers 1 and 2, and its peak RSS at two corpus sizes (flat = streaming); beside, in the same run, HF
// `tokenizers` (the Rust binding, one thread) for the tokenizing part and google-research/bert's
// create_pretraining_data.py pipeline (when BERT_DIR names a checkout of it) on a sample of the same text.
//   npm run bench:prepare -- [--sizes 100MB,1GB] [--workers 1,2] [--sample 20MB] [--bert-dir DIR] [--json]
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBrown } from '../cli/io/brown-files.js';
import { defaultTokenizerPath } from '../cli/default-tokenizers.js';
import { hfTokenizerFiles } from '../src/export/hf-tokenizer-files.js';
import { Rng } from '../src/rng/rng.js';
import { loadTokenizer } from '../src/tokenize/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const CACHE = join(ROOT, '.cache', 'bench-prepare');

function flag(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

function bytesOf(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size '${s}' (e.g. 100MB, 1GB)`);
  return Math.round(Number(m[1]) * { KB: 1e3, MB: 1e6, GB: 1e9 }[(m[2] ?? 'MB').toUpperCase() as 'MB']);
}

/** Brown documents, one sentence a line, a blank line after each document, reshuffled per pass, to `bytes`. */
async function corpusFile(bytes: number): Promise<string> {
  const path = join(CACHE, `brown-x-${bytes}.txt`);
  if (existsSync(path) && statSync(path).size >= bytes) return path;
  mkdirSync(CACHE, { recursive: true });
  const docs: string[] = [];
  for await (const d of loadBrown()) docs.push(d.sentences.join('\n') + '\n\n');
  const out = createWriteStream(path);
  let written = 0;
  for (let pass = 0; written < bytes; pass++) {
    const order = Rng.of(7, pass, 0, 'bench.prepare').shuffle(Int32Array.from(docs, (_, i) => i));
    for (const i of order) {
      if (!out.write(docs[i])) await new Promise<void>((r) => out.once('drain', () => r()));
      written += Buffer.byteLength(docs[i]);
      if (written >= bytes) break;
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
  return path;
}

/** The first `bytes` of a corpus file, cut at a document boundary. */
function sampleFile(path: string, bytes: number): string {
  const out = join(CACHE, `sample-${bytes}.txt`);
  if (existsSync(out)) return out;
  const buf = Buffer.alloc(Math.min(bytes, statSync(path).size));
  const fd = openSync(path, 'r');
  readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const text = buf.toString('utf8');
  writeFileSync(out, text.slice(0, text.lastIndexOf('\n\n') + 2));
  return out;
}

interface Timed {
  seconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Run a command, polling its peak RSS (VmHWM) every 50 ms. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        // exited
      }
    }, 50);
    child.on('close', (status) => {
      clearInterval(poll);
      resolve({ seconds: (performance.now() - t0) / 1000, peakRssMb: peak, stdout, stderr, status });
    });
  });
}

interface Row {
  pipeline: string;
  input: string;
  workers: number;
  tokens: number;
  seconds: number;
  tokensPerS: number;
  peakRssMb: number;
}

async function pretextPrepare(corpus: string, workers: number): Promise<Row> {
  const out = join(CACHE, `out-w${workers}`);
  rmSync(out, { recursive: true, force: true });
  const r = await timed(process.execPath, [
    MAIN,
    'prepare',
    '--corpus',
    corpus,
    '--objective',
    'mlm',
    '--format',
    'megatron',
    '--workers',
    String(workers),
    '--out',
    out,
  ]);
  if (r.status !== 0) throw new Error(`pretext prepare failed: ${r.stderr}`);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  const tokens = index.counts.tokens as number;
  return {
    pipeline: 'pretext prepare (megatron)',
    input: `${(statSync(corpus).size / 1e6).toFixed(0)} MB`,
    workers,
    tokens,
    seconds: r.seconds,
    tokensPerS: tokens / r.seconds,
    peakRssMb: r.peakRssMb,
  };
}

// Tokenizer-only throughput on one thread: `--tokenize-only pretext|hf FILE` (run as a child, one line of JSON).
async function tokenizeOnly(which: string, file: string): Promise<void> {
  const json = readFileSync(defaultTokenizerPath('bert'), 'utf8');
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  let tokens = 0;
  const t0 = performance.now();
  if (which === 'pretext') {
    const tok = loadTokenizer(json);
    for (const l of lines) tokens += tok.encode(l, undefined, { addSpecialTokens: false }).ids.length;
  } else {
    const { createRequire } = await import('node:module');
    const hf = createRequire(import.meta.url)('tokenizers') as {
      Tokenizer: { fromString(s: string): { encodeBatch(x: string[], o: object): Promise<{ getIds(): number[] }[]> } };
    };
    const tok = hf.Tokenizer.fromString(json);
    for (let i = 0; i < lines.length; i += 1000)
      for (const e of await tok.encodeBatch(lines.slice(i, i + 1000), { addSpecialTokens: false }))
        tokens += e.getIds().length;
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ tokens, seconds }) + '\n');
}

async function tokenizerRow(which: 'pretext' | 'hf', sample: string): Promise<Row> {
  const env = { ...process.env, RAYON_NUM_THREADS: '1', RAYON_RS_NUM_CPUS: '1', TOKENIZERS_PARALLELISM: 'false' };
  const r = await timed(process.execPath, [fileURLToPath(import.meta.url), '--tokenize-only', which, sample], env);
  if (r.status !== 0) throw new Error(`${which} tokenizer run failed: ${r.stderr}`);
  const { tokens, seconds } = JSON.parse(r.stdout);
  return {
    pipeline:
      which === 'hf' ? 'HF tokenizers (Rust, 1 thread): tokenize only' : 'pretext tokenizer (1 thread): tokenize only',
    input: `${(statSync(sample).size / 1e6).toFixed(0)} MB`,
    workers: 1,
    tokens,
    seconds,
    tokensPerS: tokens / seconds,
    peakRssMb: r.peakRssMb,
  };
}

async function bertRows(bertDir: string, sample: string): Promise<Row[]> {
  const vocab = join(CACHE, 'vocab.txt');
  writeFileSync(
    vocab,
    hfTokenizerFiles(JSON.parse(readFileSync(defaultTokenizerPath('bert'), 'utf8')), 'bert', 512)['vocab.txt'],
  );
  const r = await timed('python3', [join(ROOT, 'bench', 'baselines', 'bert_pipeline.py'), bertDir, sample, vocab]);
  if (r.status !== 0) throw new Error(`the BERT pipeline failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
  const b = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const input = `${(statSync(sample).size / 1e6).toFixed(0)} MB`;
  return [
    {
      pipeline: 'google-research/bert FullTokenizer: tokenize only',
      input,
      workers: 1,
      tokens: b.wordpieces,
      seconds: b.tokenize_s,
      tokensPerS: b.wordpieces / b.tokenize_s,
      peakRssMb: r.peakRssMb,
    },
    {
      pipeline: 'google-research/bert create_training_instances (tokenize + instances)',
      input,
      workers: 1,
      tokens: b.wordpieces,
      seconds: b.create_instances_s,
      tokensPerS: b.wordpieces / b.create_instances_s,
      peakRssMb: r.peakRssMb,
    },
  ];
}

async function main(): Promise<void> {
  if (process.argv[2] === '--tokenize-only') return tokenizeOnly(process.argv[3], process.argv[4]);
  if (!existsSync(MAIN)) throw new Error('run npm run build first');
  const sizes = flag('sizes', '100MB,1GB').split(',').map(bytesOf);
  const workers = flag('workers', '1,2').split(',').map(Number);
  const sampleBytes = bytesOf(flag('sample', '20MB'));
  const bertDir = flag('bert-dir', process.env.BERT_DIR ?? '');
  const rows: Row[] = [];
  const largest = await corpusFile(Math.max(...sizes));
  for (const size of sizes) {
    const corpus = await corpusFile(size);
    for (const w of workers) rows.push(await pretextPrepare(corpus, w));
  }
  const sample = sampleFile(largest, sampleBytes);
  rows.push(await pretextPrepare(sample, 1));
  rows.push(await tokenizerRow('pretext', sample));
  rows.push(await tokenizerRow('hf', sample));
  if (bertDir) rows.push(...(await bertRows(bertDir, sample)));
  const bertEnd = rows.find((r) => r.pipeline.includes('create_training_instances'));
  const hfRow = rows.find((r) => r.pipeline.startsWith('HF tokenizers'))!;
  const ours = rows.find((r) => r.pipeline.startsWith('pretext tokenizer'))!;
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ rows }) + '\n');
    return;
  }
  console.log('| pipeline | input | workers | tokens | s | tokens/s | peak RSS |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.pipeline} | ${r.input} | ${r.workers} | ${r.tokens.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} | ${(r.tokensPerS / 1e6).toFixed(2)} M | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  console.log(`\ntokenizing, one thread: pretext ${(ours.tokensPerS / hfRow.tokensPerS).toFixed(2)}x HF tokenizers`);
  if (bertEnd)
    for (const r of rows.filter((x) => x.pipeline.startsWith('pretext prepare')))
      console.log(
        `end to end, ${r.input}, workers ${r.workers}: ${(r.tokensPerS / bertEnd.tokensPerS).toFixed(1)}x the BERT pipeline (on its ${bertEnd.input} sample)`,
      );
  else
    console.log(
      'BERT pipeline: skipped (pass --bert-dir DIR or BERT_DIR, a checkout of github.com/google-research/bert)',
    );
}

main().catch((e) => {
  console.error(`bench:prepare: ${(e as Error).message}`);
  process.exit(1);
});
