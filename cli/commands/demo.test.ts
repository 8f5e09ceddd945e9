// pretext demo --fast (npm start's tests path): the tour, then the comparison with its report, the path printed.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, corpusDir } from '../train-cli.case.js';

let dir: string;
let corpus: string;
beforeAll(async () => ({ dir, corpus } = await corpusDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext demo', () => {
  it('tours every objective, then compares MLM vs CLM and NSP vs SOP and prints the report to open', () => {
    const out = join(dir, 'demo');
    const r = cli(['demo', '--fast', '--corpus', corpus, '--out', out]);
    expect(r.status).toBe(0);
    for (const id of ['mlm', 'clm', 'nsp', 'sop', 'span-corruption']) expect(r.stdout).toContain(`─ ${id} ─`);
    expect(r.stdout).toContain(`The report: ${resolve(out, 'report.html')}`);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(Object.keys(results.runs)).toEqual(
      expect.arrayContaining(['mlm/seed-0', 'mlm/seed-1', 'clm/seed-0', 'clm/seed-1']),
    );
    expect(Object.keys(results.runs)).toEqual([
      'mlm/seed-0',
      'mlm/seed-1',
      'clm/seed-0',
      'clm/seed-1',
      'nsp/seed-0',
      'nsp/seed-1',
      'sop/seed-0',
      'sop/seed-1',
    ]);
    expect(results.runs['sop/seed-0'].evals.pair).toBeDefined();
    expect(results.summary.claims.map((c: { id: string }) => c.id)).toContain('nsp-vs-sop');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(r.stderr).toMatch(/mlm seed 0 \(1\/\d+\) step \d+\/\d+ \[/); // the progress bar
  }, 240_000);
});
