// Shared by the train / predict / generate CLI tests: spawn the built CLI, a small Brown corpus file, small-model flags.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBrown } from './io/brown-files.js';

export const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run `node dist/cli/main.js ...args` to completion. */
export function cli(args: string[]): Result {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run the CLI; `during` gets the child once it has started (to send it signals). */
export function cliAsync(args: string[], during?: (child: ReturnType<typeof spawn>) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    during?.(child);
  });
}

/** A temporary folder with corpus.jsonl: the first n Brown documents. */
export async function corpusDir(n = 40): Promise<{ dir: string; corpus: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pretext-train-'));
  const lines: string[] = [];
  for await (const d of loadBrown()) {
    lines.push(JSON.stringify({ id: d.id, text: d.sentences.join(' ') }));
    if (lines.length === n) break;
  }
  const corpus = join(dir, 'corpus.jsonl');
  writeFileSync(corpus, `${lines.join('\n')}\n`);
  return { dir, corpus };
}

/** Flags of a very small model on `corpus` (a tokenizer trained on it, C 32, T 32, B 8, one thread). */
export function smallFlags(corpus: string, objective: string): string[] {
  return [
    '--objective',
    objective,
    '--corpus',
    corpus,
    '--tokenizer',
    'train',
    '--vocab-size',
    '600',
    '--hidden-size',
    '32',
    '--num-heads',
    '2',
    '--ffn-size',
    '64',
    '--seq-len',
    '32',
    '--max-positions',
    '32',
    '--batch-size',
    '8',
    '--lr',
    '0.01',
    '--eval-batches',
    '2',
    '--validation-fraction',
    '0.1',
    '--threads',
    '1',
  ];
}

/** A run's log.jsonl, one object per line (steps, validations, the run's end). */
export function runLog<Row = Record<string, number>>(run: string): Row[] {
  return readFileSync(join(run, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
