// Conventions every command shares (args.ts, main.ts): --help with exit codes, --version, exit 2 with one line in
// the user's words for every user error, short flags that mean what they usually mean, the npm package.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from './commands/index.js';

const root = join(__dirname, '..');
const main = join(root, 'dist', 'cli', 'main.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
let dir: string;

function pretext(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function expectUserError(r: { code: number; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^pretext: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pretext-conv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--help and --version', () => {
  it.each([...commands.map((c) => [c.name]), ['tokenizer', 'train'], ['tokenizer', 'encode']])(
    'pretext %s %s --help: usage, options and exit codes',
    (...words) => {
      const r = pretext(...words.filter((w) => typeof w === 'string'), '--help');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: pretext /);
      expect(r.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*bug.*\n\s+2 .*\n\s+130 /);
      expect(pretext(...words.filter((w) => typeof w === 'string'), '-h').stdout).toBe(r.stdout);
    },
  );

  it('pretext --help lists every command and the exit codes', () => {
    const r = pretext('--help');
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(`  ${c.name} `);
    expect(r.stdout).toContain('Exit codes:');
  });

  it('--version prints the package version, before or after a command', () => {
    for (const argv of [['--version'], ['show', '--version'], ['transform', '--objective', 'mlm', '--version']]) {
      const r = pretext(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`pretext ${pkg.version}\n`);
    }
  });
});

describe('user errors: exit 2, one line, flag names', () => {
  it.each([
    ['a negative seed', ['show', 'The cat sat.', '--seed', '-1'], /--seed must be at least 0, got -1/],
    ['a negative epoch', ['show', 'The cat sat.', '--epoch', '-2'], /--epoch must be at least 0/],
    ['--width 0', ['show', 'The cat sat.', '--width', '0'], /--width must be at least 20, got 0/],
    [
      'an option value out of range, in flag words',
      ['show', 'The cat sat.', '--mask-prob', '2'],
      /--mask-prob must be a probability in \[0, 1\], got 2/,
    ],
    ['a non-number', ['show', 'The cat sat.', '--mask-prob', 'lots'], /--mask-prob must be a number, got 'lots'/],
    [
      'a misspelt option',
      ['show', 'The cat sat.', '--mask-prb', '0.2'],
      /unknown option '--mask-prb'; did you mean --mask-prob\?/,
    ],
    ['a misspelt command', ['shwo', 'x'], /unknown command 'shwo'; did you mean show\?/],
    ['a misspelt objective', ['show', 'x', '--objective', 'mlmm'], /unknown objective 'mlmm'; did you mean mlm\?/],
    ['a flag without its value', ['show', 'x', '--seed'], /--seed needs a value/],
    [
      '--vocab-size 3 for a tokenizer',
      [
        'tokenizer',
        'train',
        '--corpus',
        join(root, 'test', 'fixtures', 'corpus', 'text'),
        '--vocab-size',
        '3',
        '--out',
        '/tmp/never-written.json',
      ],
      /--vocab-size 3 is too small: .* take \d+ entries; give --vocab-size \d+ or more/,
    ],
    [
      '--vocab-size 0',
      ['tokenizer', 'train', '--vocab-size', '0', '--out', 'x.json'],
      /--vocab-size must be at least 1, got 0/,
    ],
    [
      'train --vocab-size 3, in flag words',
      ['train', '--objective', 'mlm', '--vocab-size', '3', '--out', '/tmp/never-a-run'],
      /^pretext: --vocab-size must be at least 16, got 3\n$/,
    ],
    [
      'train --steps -1',
      ['train', '--objective', 'mlm', '--steps', '-1', '--out', '/tmp/never-a-run'],
      /--steps must be at least 1, got -1/,
    ],
    [
      'train --seed -1',
      ['train', '--objective', 'mlm', '--seed', '-1', '--out', '/tmp/never-a-run'],
      /--seed must be at least 0, got -1/,
    ],
    ['a negative sampler seed', ['generate', '--run', 'nowhere', 'The', '--seed', '-3'], /--seed must be at least 0/],
  ])('%s', (_what, argv, message) => {
    expectUserError(pretext(...(argv as string[])), message as RegExp);
  });

  it('a tokenizer that is a folder, not JSON or not a tokenizer names the file', () => {
    const bad = join(dir, 'bad-tok.json');
    writeFileSync(bad, '{oops');
    expectUserError(
      pretext('show', 'The cat.', '--tokenizer', dir),
      /--tokenizer .* is a folder; give a tokenizer\.json file/,
    );
    expectUserError(pretext('show', 'The cat.', '--tokenizer', bad), /bad-tok\.json: not valid JSON/);
    writeFileSync(bad, '{"model": {}}');
    expectUserError(pretext('show', 'The cat.', '--tokenizer', bad), /bad-tok\.json: unsupported model type/);
  });

  it('--out that is a folder, or under a file, is refused before any work', () => {
    const rows = join(dir, 'rows.jsonl');
    writeFileSync(rows, '{"input_ids": [2, 10, 3]}\n');
    const ids = ['--vocab-size', '100', '--mask-id', '4', '--cls-id', '2', '--sep-id', '3'];
    expectUserError(
      pretext('transform', '--objective', 'mlm', '--in', rows, '--out', dir, ...ids),
      /--out .* is a folder; give a file name/,
    );
    expectUserError(
      pretext('transform', '--objective', 'mlm', '--in', rows, '--out', join(rows, 'x.jsonl'), ...ids),
      /rows\.jsonl is a file, not a folder/,
    );
    expectUserError(pretext('tokenizer', 'train', '--out', `${dir}/`), /is a folder/);
  });

  it('-o is --out (not --objective)', () => {
    const rows = join(dir, 'rows-o.jsonl');
    writeFileSync(rows, '{"input_ids": [2, 10, 11, 3]}\n');
    const out = join(dir, 'o.jsonl');
    const r = pretext('transform', '--objective', 'clm', '--in', rows, '-o', out, '--vocab-size', '100');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/"input_ids":\[2,10,11,3\]/);
  });
});

describe('the npm package', () => {
  it('is published under a name of its own, with a pretext bin that npx runs', () => {
    expect(pkg.name).toBe('@pretext-ml/pretext'); // `pretext` on npm is an unrelated markup language
    expect(pkg.bin).toEqual({ pretext: 'dist/cli/main.js' }); // the only bin, so `npx @pretext-ml/pretext` runs it
    expect(readFileSync(main, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('packs the CLI, the engine modules and the built-in tokenizers', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    for (const f of [
      'dist/cli/main.js',
      'dist/src/index.js',
      'dist/src/engine/wasm/engine.simd.wasm',
      'assets/tokenizers/brown-bert.json',
      'README.md',
    ])
      expect(files).toContain(f);
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
  });
});
