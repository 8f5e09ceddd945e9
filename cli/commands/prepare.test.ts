// pretext prepare end to end: the CLI as a user runs it (npm test builds dist first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIndex } from '../../src/prepare/megatron.js';
import { parseNpyHeader } from '../../src/prepare/npy.js';
import { parquetReadObjects } from 'hyparquet';

const root = join(__dirname, '..', '..');
const main = join(root, 'dist', 'cli', 'main.js');
const fixtures = join(root, 'test', 'fixtures', 'prepared');
const corpus = join(fixtures, 'corpus.jsonl');
let dir: string;

function pretext(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function prepare(out: string, ...args: string[]): string {
  const r = pretext('prepare', '--corpus', corpus, '--out', join(dir, out), ...args);
  expect(r.code, r.stderr).toBe(0);
  return r.stderr;
}

/** Every data file of a prepared folder (manifests aside), name -> bytes. */
function dataFiles(out: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const f of readdirSync(join(dir, out)).sort())
    if (!f.endsWith('.json')) m.set(f, readFileSync(join(dir, out, f)));
  return m;
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'pretext-prepare-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext prepare', () => {
  it('writes the committed fixtures byte for byte, and NumPy (Megatron-style memmap, np.load) reads what pretext reads', () => {
    const golden = JSON.parse(readFileSync(join(fixtures, 'numpy-golden.json'), 'utf8'));
    for (const format of ['megatron', 'npy']) {
      prepare(format, '--format', format);
      const ours = dataFiles(format);
      const committed = new Map<string, Buffer>();
      for (const f of readdirSync(join(fixtures, format)).sort())
        if (!f.endsWith('.json')) committed.set(f, readFileSync(join(fixtures, format, f)));
      expect([...ours.keys()]).toEqual([...committed.keys()]);
      for (const [name, bytes] of ours) expect(bytes.equals(committed.get(name)!), name).toBe(true);
    }
    const idx = parseIndex(readFileSync(join(dir, 'megatron', 'shard-00000-of-00001.idx')));
    expect(Array.from(idx.sequenceLengths)).toEqual(golden.megatron.lengths);
    expect(Array.from(idx.sequencePointers)).toEqual(golden.megatron.pointers);
    expect(Array.from(idx.documentIndices)).toEqual(golden.megatron.document_indices);
    expect(golden.megatron.dtype).toBe('uint16');
    const bin = readFileSync(join(dir, 'megatron', 'shard-00000-of-00001.bin'));
    const ids = new Uint16Array(bin.buffer, bin.byteOffset, bin.length / 2);
    expect(Array.from(ids)).toEqual(golden.megatron.sequences.flat());
    const tokens = readFileSync(join(dir, 'npy', 'shard-00000-of-00001.tokens.npy'));
    const h = parseNpyHeader(tokens);
    expect(h.shape).toEqual(golden.npy.shape);
    expect(golden.npy.sequences).toEqual(golden.megatron.sequences);
    expect(golden.npy.document_indices).toEqual(golden.megatron.document_indices);
  });

  it('gives the same bytes for any --workers, and shards that merge back into the one-shard run', () => {
    prepare('w1', '--workers', '1');
    prepare('w2', '--workers', '2');
    expect(dataFiles('w2')).toEqual(dataFiles('w1'));
    for (const format of ['megatron', 'npy']) {
      prepare(`one-${format}`, '--format', format, '--objective', 'clm');
      for (let i = 0; i < 3; i++)
        prepare(
          `three-${format}`,
          '--format',
          format,
          '--objective',
          'clm',
          '--num-shards',
          '3',
          '--shard-index',
          String(i),
        );
      const index = JSON.parse(readFileSync(join(dir, `three-${format}`, 'index.json'), 'utf8'));
      expect(index.shards.map((s: { counts: { documents: number } }) => s.counts.documents)).toEqual([4, 4, 4]);
      expect(pretext('prepare', '--merge', '--out', join(dir, `three-${format}`)).code).toBe(0);
      const one = dataFiles(`one-${format}`);
      const merged = dataFiles(`three-${format}`);
      for (const [name, bytes] of one)
        expect(merged.get(name.replace('shard-00000-of-00001', 'merged'))!.equals(bytes), name).toBe(true);
    }
  });

  it('skips finished shards on a re-run, rebuilds a corrupt one, and refuses other settings', () => {
    prepare('rerun', '--num-shards', '2');
    const before = dataFiles('rerun');
    expect(prepare('rerun', '--num-shards', '2')).toMatch(/shard-00000-of-00002: already done, skipped/);
    const bin = join(dir, 'rerun', 'shard-00001-of-00002.bin');
    const bytes = readFileSync(bin);
    bytes[0] ^= 1;
    writeFileSync(bin, bytes);
    expect(prepare('rerun', '--num-shards', '2')).toMatch(/shard-00001-of-00002: .*checksum differs.*rebuilding/);
    expect(dataFiles('rerun')).toEqual(before);
    const r = pretext(
      'prepare',
      '--corpus',
      corpus,
      '--out',
      join(dir, 'rerun'),
      '--num-shards',
      '2',
      '--objective',
      'clm',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pretext: .*other settings \(objective: "mlm" vs "clm"\)/);
  });

  it('a run killed midway, run again, gives the output of an uninterrupted run', async () => {
    const big = join(dir, 'big.jsonl');
    const lines = readFileSync(corpus, 'utf8').trim().split('\n');
    writeFileSync(
      big,
      Array.from({ length: 4000 }, (_, i) => lines[i % lines.length].replace(/"id": "doc\d+"/, `"id": "d${i}"`)).join(
        '\n',
      ) + '\n',
    );
    const child = spawn(process.execPath, [
      main,
      'prepare',
      '--corpus',
      big,
      '--out',
      join(dir, 'killed'),
      '--num-shards',
      '2',
    ]);
    // kill it once its temp files exist (it is writing) and before it has finished
    let exited = false;
    child.once('exit', () => (exited = true));
    const out = join(dir, 'killed');
    for (let t = 0; t < 1000 && !exited && !(existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tmp'))); t++)
      await new Promise((r) => setTimeout(r, 10));
    expect(exited, 'prepare finished before it could be killed').toBe(false);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(dir, 'killed', 'index.json'))).toBe(false);
    const again = pretext('prepare', '--corpus', big, '--out', join(dir, 'killed'), '--num-shards', '2');
    expect(again.code, again.stderr).toBe(0);
    const clean = pretext('prepare', '--corpus', big, '--out', join(dir, 'clean'), '--num-shards', '2');
    expect(clean.code).toBe(0);
    const killed = dataFiles('killed');
    expect([...killed.keys()].filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(killed).toEqual(dataFiles('clean'));
  });

  it('writes rows with static masks as npy (NumPy reads them), Parquet (hyparquet reads them) and JSONL, the same rows in all three', async () => {
    const golden = JSON.parse(readFileSync(join(fixtures, 'numpy-golden.json'), 'utf8')).rows_npy;
    const args = ['--epochs-of-masks', '2', '--seq-len', '16'];
    for (const format of ['npy', 'parquet', 'jsonl']) prepare(`rows-${format}`, '--format', format, ...args);
    const committed = join(fixtures, 'rows-npy');
    for (const f of readdirSync(committed).filter((f) => f.endsWith('.npy')))
      expect(readFileSync(join(dir, 'rows-npy', f)).equals(readFileSync(join(committed, f))), f).toBe(true);
    const jsonl = readFileSync(join(dir, 'rows-jsonl', 'shard-00000-of-00001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const pad = (a: number[], v: number) => [...a, ...Array(16 - a.length).fill(v)];
    expect(jsonl.map((r) => pad(r.input_ids, 0))).toEqual(golden.input_ids.rows);
    expect(jsonl.map((r) => pad(r.labels, -100))).toEqual(golden.labels.rows);
    expect(jsonl.map((r) => pad(r.attention_mask, 0))).toEqual(golden.attention_mask.rows);
    const bytes = readFileSync(join(dir, 'rows-parquet', 'shard-00000-of-00001.parquet'));
    const table = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    });
    expect(table.map((r) => Array.from(r.input_ids as number[]))).toEqual(golden.input_ids.rows);
    expect(table.map((r) => Array.from(r.labels as number[]))).toEqual(golden.labels.rows);
    // two epochs of masks: 22 FULL-SENTENCES rows of the 12 documents, each masked twice, differently
    expect(golden.input_ids.shape).toEqual([44, 16]);
    const unmasked = (r: { input_ids: number[]; labels: number[] }) =>
      r.input_ids.map((t, i) => (r.labels[i] === -100 ? t : r.labels[i])).join(' ');
    const originals = jsonl.map(unmasked);
    expect(new Set(originals).size).toBeLessThan(originals.length);
    expect(new Set(jsonl.map((r) => JSON.stringify(r.labels))).size).toBeGreaterThan(22);
  });

  it('rows: the same for any --workers, and shards whose union is the one-shard run', () => {
    const args = ['--format', 'jsonl', '--epochs-of-masks', '2', '--seq-len', '16'];
    prepare('rows-w2', ...args, '--workers', '2');
    for (let i = 0; i < 3; i++) prepare('rows-3', ...args, '--num-shards', '3', '--shard-index', String(i));
    const lines = (out: string, f: string) =>
      readFileSync(join(dir, out, f), 'utf8')
        .trim()
        .split('\n');
    const one = lines('rows-w2', 'shard-00000-of-00001.jsonl');
    prepare('rows-w1', ...args);
    expect(lines('rows-w1', 'shard-00000-of-00001.jsonl')).toEqual(one);
    const union = [0, 1, 2].flatMap((i) => lines('rows-3', `shard-0000${i}-of-00003.jsonl`));
    expect(union.sort()).toEqual([...one].sort());
  });

  it('refuses bad input with one line and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--corpus', corpus], /--out is required/],
      [
        ['--corpus', corpus, '--out', join(dir, 'x'), '--num-shards', '2', '--shard-index', '2'],
        /--shard-index must be in \[0, 1\]/,
      ],
      [['--corpus', corpus, '--out', join(dir, 'x'), '--num-shards', '20'], /12 documents, fewer than --num-shards 20/],
      [['--corpus', join(dir, 'none.jsonl'), '--out', join(dir, 'x')], /no such file/],
      [['--corpus', corpus, '--out', corpus], /is a file; give a folder/],
      [['--merge', '--out', join(dir, 'nothing')], /index\.json is missing/],
      [
        ['--corpus', corpus, '--out', join(dir, 'x'), '--objective', 'nsp', '--format', 'parquet'],
        /nsp builds pairs across the whole corpus/,
      ],
      [
        ['--corpus', corpus, '--out', join(dir, 'x'), '--objective', 'clm', '--format', 'jsonl'],
        /for clm prepare token streams/,
      ],
      [
        ['--corpus', corpus, '--out', join(dir, 'x'), '--format', 'megatron', '--epochs-of-masks', '2'],
        /megatron holds token streams/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = pretext('prepare', ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
    expect(existsSync(join(dir, 'x', 'index.json'))).toBe(false);
  });
});
