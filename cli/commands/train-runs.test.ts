// Runs that never dead-end (node dist/cli/main.js; `npm test` builds first): SIGTERM saves and exits 130, then
// --resume continues; a run killed before its first checkpoint restarts with --resume or is replaced with
// --overwrite; --resume with another --steps extends or refuses; --grad-accum trains as the large batch; the
// vocabulary run-config.json records; a batch too large for memory and an --out that is a file are refused.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/model/index.js';
import { loadTokenizer } from '../../src/tokenize/index.js';
import { defaultTokenizerPath } from '../default-tokenizers.js';
import { cli, cliAsync, corpusDir, smallFlags, runLog } from '../train-cli.case.js';

let dir: string;
let corpus: string;
beforeAll(async () => ({ dir, corpus } = await corpusDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, number>;
const steps = (run: string) =>
  runLog<Row>(run)
    .filter((r) => 'loss' in r)
    .map((r) => r.step);
const checkpoints = (run: string) =>
  readdirSync(run)
    .filter((n) => n.startsWith('checkpoint-'))
    .sort();
const runConfig = (run: string) =>
  JSON.parse(readFileSync(join(run, 'run-config.json'), 'utf8')) as Record<string, unknown>;
const flags = (objective = 'mlm') => [...smallFlags(corpus, objective), '--eval-every', '0', '--save-every', '0'];

/** Start a long run and send `signal` once log.jsonl has its first step row. */
function killAfterFirstStep(run: string, args: string[], signal: NodeJS.Signals) {
  return cliAsync(['train', ...args, '--steps', '100000', '--out', run], (child) => {
    const poll = setInterval(() => {
      const log = join(run, 'log.jsonl');
      if (existsSync(log) && readFileSync(log, 'utf8').includes('"loss"')) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 10);
    child.on('close', () => clearInterval(poll));
  });
}

describe('runs that never dead-end', () => {
  it('SIGTERM saves a checkpoint and exits 130; --resume continues it (with --grad-accum)', async () => {
    const run = join(dir, 'term');
    const args = [...flags(), '--grad-accum', '2'];
    const stopped = await killAfterFirstStep(run, args, 'SIGTERM');
    expect(stopped.stderr).toContain('interrupted (SIGTERM): saving a checkpoint after this step');
    expect(stopped.status).toBe(130);
    const [ckpt] = checkpoints(run);
    const k = Number(ckpt.slice('checkpoint-'.length));
    expect(k).toBeGreaterThan(0);
    expect(runConfig(run)).toMatchObject({ gradAccum: 2, steps: 100000 });

    const resumed = cli(['train', ...args, '--steps', String(k + 2), '--out', run, '--resume']);
    expect(resumed.stderr).toContain(`resuming at step ${k}`);
    expect(resumed.status).toBe(0);
    expect(steps(run)).toEqual(Array.from({ length: k + 2 }, (_, i) => i + 1));
    expect(checkpoints(run)).toContain(`checkpoint-${k + 2}`);
  });

  it('a run killed before its first checkpoint: a rerun names --resume and --overwrite; --resume starts it from step 0', async () => {
    const run = join(dir, 'killed');
    const killed = await killAfterFirstStep(run, flags(), 'SIGKILL');
    expect(killed.status).toBe(null);
    expect(existsSync(join(run, 'run-config.json'))).toBe(true);
    expect(checkpoints(run)).toEqual([]);

    const again = cli(['train', ...flags(), '--steps', '3', '--out', run]);
    expect(again.stderr).toBe(
      `pretext: ${run} holds a run stopped before its first checkpoint; pass --resume to start it again from step 0 with its run-config.json, or --overwrite to replace it\n`,
    );
    expect(again.status).toBe(2);

    const resumed = cli(['train', '--out', run, '--resume', '--steps', '3']);
    expect(resumed.stderr.split('\n').filter((l) => l.includes('no checkpoint yet'))).toEqual([
      `  resume     ${run} has no checkpoint yet: starting again from step 0 with its run-config.json`,
    ]);
    expect(resumed.status).toBe(0);
    expect(steps(run)).toEqual([1, 2, 3]);
    expect(checkpoints(run)).toEqual(['checkpoint-3']);
    expect(runConfig(run)).toMatchObject({ steps: 3, hiddenSize: 32 });
  });

  it('--resume with another --steps extends the run, or refuses without touching run-config.json', () => {
    const run = join(dir, 'extend');
    expect(cli(['train', ...flags(), '--steps', '3', '--out', run]).status).toBe(0);
    const saved = readFileSync(join(run, 'run-config.json'), 'utf8');
    const mtime = statSync(join(run, 'run-config.json')).mtimeMs;
    const refusals: [string[], string][] = [
      [[], `pretext: --resume: ${run} is complete (3 of 3 steps); give --steps above 3 to extend it\n`],
      [
        ['--steps', '3'],
        `pretext: --resume: ${run} has done 3 steps, so --steps 3 would train none; give --steps above 3 to extend it\n`,
      ],
      [
        ['--steps', '2'],
        `pretext: --resume: ${run} has done 3 steps, so --steps 2 would train none; give --steps above 3 to extend it\n`,
      ],
    ];
    for (const [extra, message] of refusals) {
      const r = cli(['train', '--out', run, '--resume', ...extra]);
      expect(r.stderr).toBe(message);
      expect(r.status).toBe(2);
    }
    expect(readFileSync(join(run, 'run-config.json'), 'utf8')).toBe(saved);
    expect(statSync(join(run, 'run-config.json')).mtimeMs).toBe(mtime);

    const longer = cli(['train', '--out', run, '--resume', '--steps', '5']);
    expect(longer.stderr).toContain('steps      5, not the 3 the run was started with');
    expect(longer.status).toBe(0);
    expect(steps(run)).toEqual([1, 2, 3, 4, 5]);
    expect(runConfig(run).steps).toBe(5);
    expect(checkpoints(run)).toEqual(['checkpoint-3', 'checkpoint-5']);

    const replaced = cli(['train', ...flags(), '--steps', '2', '--out', run, '--overwrite']);
    expect(replaced.status).toBe(0);
    expect(steps(run)).toEqual([1, 2]);
    expect(checkpoints(run)).toEqual(['checkpoint-2']);
  });

  // AdamW's first steps are sign-like: with eps 1e-6 a gradient near 1e-6 turns its rounding (1e-9) into weight
  // differences of lr / (4 eps) x 1e-9; eps 1e-3 keeps the comparison about the gradients.
  it('--grad-accum 4 of batch 4 equals batch 16 (mlm, clm): per-step losses and final weights, a resume in between', () => {
    const same = ['--steps', '4', '--dropout', '0', '--schedule', 'constant', '--warmup-ratio', '0', '--eps', '1e-3'];
    for (const objective of ['mlm', 'clm']) {
      const whole = join(dir, `${objective}-b16`);
      const split = join(dir, `${objective}-b4x4`);
      expect(cli(['train', ...flags(objective), ...same, '--batch-size', '16', '--out', whole]).status).toBe(0);
      expect(
        cli([
          'train',
          ...flags(objective),
          ...same,
          '--batch-size',
          '4',
          '--grad-accum',
          '4',
          '--steps',
          '2',
          '--out',
          split,
        ]).status,
      ).toBe(0);
      const resumed = cli(['train', '--out', split, '--resume', '--steps', '4']);
      expect(resumed.stderr).toContain('4 steps x 16 (4 x 4) x 32 tokens');
      expect(resumed.status).toBe(0);
      const loss = (run: string) =>
        runLog<Row>(run)
          .filter((r) => 'loss' in r)
          .map((r) => r.loss);
      expect(loss(split)).toHaveLength(4);
      loss(split).forEach((l, i) => expect(Math.abs(l - loss(whole)[i]) / loss(whole)[i]).toBeLessThan(1e-6));
      const weights = (run: string) =>
        readSafetensors(new Uint8Array(readFileSync(join(run, 'checkpoint-4', 'model.safetensors')))).tensors;
      const [a, b] = [weights(split), weights(whole)];
      let worst = 0;
      for (const [name, t] of b) {
        const x = a.get(name)!.data as Float32Array;
        t.data.forEach(
          (w, i) => (worst = Math.max(worst, Math.abs(x[i] - (w as number)) / (Math.abs(w as number) + 1e-2))),
        );
      }
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('run-config.json records the vocabulary the model has (a tokenizer.json of another size than --vocab-size)', () => {
    const run = join(dir, 'vocab');
    const path = defaultTokenizerPath('bert');
    const size = loadTokenizer(readFileSync(path, 'utf8')).vocabSize;
    const args = flags().map((a) => (a === 'train' ? path : a));
    const r = cli(['train', ...args, '--steps', '1', '--out', run]);
    expect(r.status).toBe(0);
    expect(size).not.toBe(600);
    expect(r.stderr).toContain(
      `vocabulary ${size.toLocaleString('en-US')} tokens, the tokenizer's (--vocab-size 600); run-config.json records ${size}`,
    );
    expect(runConfig(run).vocabSize).toBe(size);
    expect(JSON.parse(readFileSync(join(run, 'checkpoint-1', 'config.json'), 'utf8')).vocab_size).toBe(size);
    expect(cli(['train', ...args, '--steps', '2', '--out', run, '--resume']).status).toBe(0); // the original command, resumed
  });

  it('a batch too large for memory: one line with the size it needs, exit 2, no run folder', () => {
    const run = join(dir, 'huge');
    const r = cli(['train', ...flags(), '--batch-size', '10000000', '--steps', '1', '--out', run]);
    expect(r.stderr).toMatch(
      /^pretext: --batch-size 10000000 x --seq-len 32 does not fit: training needs about [\d.]+ GB \(activations [\d.]+ GB, parameters with gradients and optimizer state [\d.]+ GB\) and the wasm engine holds at most 4 GB; at most --batch-size \d+ fits, and --grad-accum N trains batches N times that size in the same memory\n$/,
    );
    expect(r.status).toBe(2);
    expect(existsSync(run)).toBe(false);
  });

  it.runIf(availableParallelism() < 64)(
    '--threads above the cores here: a warning naming both, and the run uses the cores',
    () => {
      const r = cli(['train', ...flags(), '--threads', '64', '--steps', '1', '--out', join(dir, 'threads')]);
      const cores = availableParallelism();
      expect(r.stderr).toContain(`pretext: --threads 64 is more than the ${cores} cores here; using ${cores}\n`);
      expect(r.stderr).toContain(`${cores} thread`);
      expect(r.status).toBe(0);
    },
  );

  it('--out that is a file: one line, exit 2, the file untouched', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'mine\n');
    const r = cli(['train', ...flags(), '--steps', '1', '--out', file]);
    expect(r.stderr).toBe(
      `pretext: --out ${file} is a file; give a folder for the run (it holds run-config.json, log.jsonl and checkpoints)\n`,
    );
    expect(r.status).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('--init-from a file, not a run folder: one line, exit 2', () => {
    const r = cli(['train', ...flags(), '--steps', '1', '--init-from', corpus, '--out', join(dir, 'init-file')]);
    expect(r.stderr).toBe(`pretext: ${corpus} is a file, not a run folder (pretext train --out writes one)\n`);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'init-file'))).toBe(false);
  });
});
