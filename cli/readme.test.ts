// Every command in the README's code blocks marked `sh runnable` runs as pasted (with `pretext` on the PATH, as
// `npm link` puts it) in a fresh folder and exits 0; no block meant to be pasted uses `[--flag]` notation.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The code blocks of a markdown text with their info strings. */
function codeBlocks(markdown: string): { info: string; body: string }[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1].trim(), body: m[2] }));
}

/** The commands of a shell block: lines without comments or blanks, `\`-continued lines joined. */
function commandsOf(body: string): string[] {
  return body
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const runnable = codeBlocks(readme)
  .filter((b) => b.info === 'sh runnable')
  .flatMap((b) => commandsOf(b.body));
const dir = mkdtempSync(join(tmpdir(), 'pretext-readme-'));
const bin = join(dir, '.bin');
beforeAll(() => {
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'pretext'),
    `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'dist', 'cli', 'main.js')}" "$@"\n`,
  );
  chmodSync(join(bin, 'pretext'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  it('has runnable blocks, and no [--flag] notation in any shell block', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    const shell = codeBlocks(readme).filter((b) => /^(sh|bash|shell)\b/.test(b.info));
    for (const b of shell) expect(b.body, b.body).not.toMatch(/\[--?[a-z]/);
  });

  it.each(runnable.map((c, i) => [i + 1, c]))('command %i exits 0: %s', (_i, command) => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', command as string], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, NO_COLOR: '1' },
    });
    expect(r.status, `${command}\n${r.stderr}`).toBe(0);
  });
});
