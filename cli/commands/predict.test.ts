// pretext predict / generate on tiny runs trained by the CLI: JSON shapes, --seed determinism, one-line errors.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, corpusDir, smallFlags } from '../train-cli.case.js';

let dir: string;
let mlm: string;
let clm: string;
beforeAll(async () => {
  let corpus: string;
  ({ dir, corpus } = await corpusDir());
  mlm = join(dir, 'mlm');
  clm = join(dir, 'clm');
  for (const [objective, out] of [
    ['mlm', mlm],
    ['clm', clm],
  ] as const) {
    const r = cli(['train', ...smallFlags(corpus, objective), '--steps', '30', '--eval-every', '0', '--out', out]);
    if (r.status !== 0) throw new Error(r.stderr);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext predict', () => {
  it('--json: input_ids and, per [MASK], the top-k {id, token, prob} by falling probability', () => {
    const r = cli(['predict', '--run', mlm, 'The jury [MASK] on the [MASK].', '--top-k', '3', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['input_ids', 'predictions']);
    expect(out.input_ids[0]).toBe(2); // [CLS]
    expect(out.predictions.map((p: { position: number }) => p.position)).toEqual(
      out.input_ids.flatMap((id: number, i: number) => (id === 4 ? [i] : [])),
    );
    for (const p of out.predictions) {
      expect(p.top).toHaveLength(3);
      for (const t of p.top) expect(Object.keys(t)).toEqual(['id', 'token', 'prob']);
      expect(p.top[0].prob).toBeGreaterThanOrEqual(p.top[2].prob);
    }
    expect(cli(['predict', '--run', mlm, 'The jury [MASK] on the [MASK].', '--top-k', '3', '--json']).stdout).toBe(
      r.stdout,
    );
  });

  it('prints a table without --json; a checkpoint folder works as --run', () => {
    const r = cli(['predict', '--run', join(mlm, 'checkpoint-30'), 'A [MASK] day.']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\[MASK\] at 2:\n( {2}\S+ +0\.\d{4}\n){5}$/);
  });
});

describe('pretext generate', () => {
  const gen = (...extra: string[]) =>
    cli(['generate', '--run', clm, 'The jury said', '--max-new-tokens', '8', '--json', ...extra]);

  it('--json shape; the same --seed gives the same text; temperature 0 is greedy whatever the seed', () => {
    const a = gen('--seed', '3', '--temperature', '1.2');
    expect(a.status).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(Object.keys(out)).toEqual(['input_ids', 'output_ids', 'completion', 'text', 'stopped']);
    expect(out.output_ids.length).toBeLessThanOrEqual(8);
    expect(out.text.startsWith('The jury said')).toBe(true);
    expect(gen('--seed', '3', '--temperature', '1.2').stdout).toBe(a.stdout);
    expect(gen('--temperature', '0', '--seed', '1').stdout).toBe(gen('--temperature', '0', '--seed', '2').stdout);
    const plain = cli([
      'generate',
      '--run',
      clm,
      'The jury said',
      '--max-new-tokens',
      '8',
      '--seed',
      '3',
      '--temperature',
      '1.2',
    ]);
    expect(plain.stdout).toBe(`${out.text}\n`);
  });
});

describe('pretext generate on an mlm run: mask-predict', () => {
  it('--json adds the passes; --steps prints one line per pass, then the text', () => {
    const r = cli([
      'generate',
      '--run',
      mlm,
      'The jury said',
      '--max-new-tokens',
      '6',
      '--iterations',
      '3',
      '--temperature',
      '0',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['input_ids', 'output_ids', 'completion', 'text', 'stopped', 'steps']);
    expect(out.output_ids).toHaveLength(6);
    expect(out.steps.map((s: { predicted: number }) => s.predicted)).toEqual([6, 4, 2]);
    const text = cli([
      'generate',
      '--run',
      mlm,
      'The jury said',
      '--max-new-tokens',
      '6',
      '--iterations',
      '3',
      '--temperature',
      '0',
      '--steps',
    ]);
    expect(text.stdout).toBe(
      `${out.steps.map((s: { predicted: number; completion: string }, i: number) => `pass ${i + 1} (${s.predicted} predicted): ${s.completion}\n`).join('')}${out.text}\n`,
    );
  });
});

describe('predict / generate errors: one line, exit 2', () => {
  it.each([
    [['predict', '--run', 'NOPE', 'a [MASK]'], 'pretext: no run at NOPE (train one with: pretext train --out NOPE)'],
    [['predict', 'a [MASK]'], 'pretext: --run is required (a folder written by pretext train)'],
    [['predict', '--run', 'MLM'], 'pretext: give the text to fill, e.g. "The cat [MASK] on the mat."'],
    [['predict', '--run', 'MLM', 'No mask here.'], 'pretext: the text has no [MASK] token to fill'],
    [['predict', '--run', 'MLM', 'a [MASK]', '--top-k', '0'], 'pretext: --top-k must be at least 1, got 0'],
    [
      ['predict', '--run', 'CLM', 'a [MASK]'],
      'pretext: CLM is a gpt2 (clm) run; predict fills [MASK] with an mlm run or sentinels with a span-corruption run (use pretext generate)',
    ],
    [
      ['generate', '--run', 'MLM', 'The', '--max-new-tokens', '40'],
      'pretext: the prompt (1 tokens) and 40 new tokens need 43 positions, the model has 32',
    ],
    [['generate', '--run', 'CLM', 'The', '--temperature', '-1'], 'pretext: --temperature must be at least 0, got -1'],
    [
      ['generate', '--run', 'EMPTY', 'The'],
      'pretext: EMPTY has no checkpoint yet (training saves one every --save-every steps and at the end)',
    ],
  ])('%j', (args, message) => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const sub = (s: string) => s.replace('MLM', mlm).replace('CLM', clm).replace('EMPTY', empty);
    const r = cli(args.map(sub));
    expect(r.stderr).toBe(`${sub(message)}\n`);
    expect(r.status).toBe(2);
  });
});
