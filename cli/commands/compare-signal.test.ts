// pretext compare --jobs 2 stopped by SIGTERM (a scheduler's, or `kill PID`), which reaches only the parent: the
// parent stops its child runs before it exits 130, so none goes on training unseen.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliAsync, corpusDir, smallFlags } from '../train-cli.case.js';

let dir: string;
let corpus: string;
beforeAll(async () => ({ dir, corpus } = await corpusDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The processes whose command line names `marker` (pgrep exits 1 when there are none).
function processesNaming(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pretext compare --jobs', () => {
  it('SIGTERM to the parent stops its child runs, then it exits 130', async () => {
    const out = join(dir, 'stopped-comparison');
    const args = [
      'compare',
      '--objectives',
      'mlm,clm',
      '--tokens',
      '100000000',
      '--seeds',
      '1',
      '--jobs',
      '2',
      '--evals',
      'fill-mask',
      ...smallFlags(corpus, 'mlm').slice(2),
      '--out',
      out,
    ];
    let parent = 0;
    const done = cliAsync(args, (child) => (parent = child.pid ?? 0));
    let children: number[] = [];
    for (let i = 0; i < 600 && children.length < 2; i++) {
      await sleep(100);
      children = processesNaming(`${out} --threads 1 --run-one`);
    }
    expect(children.length).toBe(2);
    process.kill(parent, 'SIGTERM');
    const r = await done;
    expect(r.status).toBe(130);
    expect(r.stderr).toContain('stopped by SIGTERM');
    for (let i = 0; i < 50 && processesNaming(out).length > 0; i++) await sleep(100);
    expect(processesNaming(out)).toEqual([]);
  });
});
