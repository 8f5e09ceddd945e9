// pretext compare end to end on a tiny budget (mlm, clm and electra, two seeds, a 32-wide model): every number of the
// report's comparison table is the one in results.json, the page makes no request, a re-run skips finished runs, and
// --jobs 2 gives the same results as --jobs 1 (continuing it skips its finished runs too).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber, valueAt } from '../../src/experiments/index.js';
import { cli, corpusDir, smallFlags } from '../train-cli.case.js';

let dir: string;
let corpus: string;
beforeAll(async () => ({ dir, corpus } = await corpusDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The small-model flags without --objective (compare takes --objectives).
const modelFlags = () => smallFlags(corpus, 'mlm').slice(2);
const args = (out: string) => [
  'compare',
  '--objectives',
  'mlm,clm,electra',
  '--tokens',
  '2048',
  '--seeds',
  '2',
  '--evals',
  'probe-sentiment,fill-mask,perplexity,rtd',
  '--max-tokens',
  '1000',
  ...modelFlags(),
  '--out',
  out,
];
const RUNS = ['mlm/seed-0', 'mlm/seed-1', 'clm/seed-0', 'clm/seed-1', 'electra/seed-0', 'electra/seed-1'];

// A results.json without what differs between two runs of one comparison: timings, dates, the folder.
function comparable(path: string, folder: string) {
  const r = JSON.parse(readFileSync(path, 'utf8'));
  delete r.updatedAt;
  delete r.summary; // holds the seconds' intervals
  delete r.command; // names the folder and --jobs
  for (const run of Object.values(r.runs) as Record<string, any>[]) {
    // eslint-disable-line @typescript-eslint/no-explicit-any
    delete run.finishedAt;
    delete run.trained.seconds;
    run.dir = run.dir.replace(folder, 'OUT');
  }
  return r;
}

const tableOf = (html: string, id: string): string => {
  const m = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html);
  expect(m, `table #${id}`).not.toBeNull();
  return m![1];
};
const cellsOf = (row: string): string[] => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('pretext compare', () => {
  it('writes results.json and a report whose table numbers are the JSON numbers; a re-run skips finished runs', () => {
    const out = join(dir, 'report');
    const r = cli(args(out));
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`report: ${join(out, 'report.html')}\n`);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(Object.keys(results.runs)).toEqual(RUNS);
    for (const run of Object.values(results.runs) as {
      trained: Record<string, number>;
      evals: Record<string, unknown>;
    }[]) {
      expect(run.trained.tokens).toBe(2048); // 8 steps of 8 x 32
      expect(run.trained.seconds).toBeGreaterThan(0);
      expect(run.trained.flops).toBeGreaterThan(0);
      expect(Object.keys(run.evals)).toContain('probe-sentiment');
    }
    expect(results.runs['mlm/seed-0'].evals['fill-mask']).toBeDefined();
    expect(results.runs['clm/seed-0'].evals.perplexity).toBeDefined();
    expect(Object.keys(results.runs['electra/seed-0'].evals)).toEqual(['probe-sentiment', 'fill-mask', 'rtd']); // discriminator, generator, the pair
    expect(results.runs['electra/seed-0'].lossShares.rtd).toBe(1);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\b(src|href)=|url\(/i);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(5);
    const rows = tableOf(html, 'comparison')
      .split('</tr>')
      .slice(1)
      .filter((row) => row.includes('<td'));
    expect(rows.length).toBeGreaterThanOrEqual(7);
    let numbers = 0;
    for (const row of rows) {
      const measured = cellsOf(row).slice(3, -1); // aspect, textbook x2 | objectives | verdict
      expect(measured).toHaveLength(3);
      for (const cell of measured) {
        for (const m of cell.matchAll(/<span class="num" data-path="([^"]*)" data-digits="(-?\d+)">([^<]*)<\/span>/g)) {
          const value = valueAt(results, JSON.parse(unescapeHtml(m[1])));
          expect(typeof value, m[1]).toBe('number');
          expect(m[3], m[1]).toBe(formatNumber(value as number, Number(m[2])));
          numbers++;
        }
        // no number printed outside a data-path span
        expect(
          cell
            .replace(/<span class="num"[^>]*>[^<]*<\/span>/g, '')
            .replace(/<[^>]+>/g, '')
            .replace('(1 seed)', ''),
        ).not.toMatch(/\d/);
      }
    }
    expect(numbers).toBeGreaterThanOrEqual(30);

    // --markdown: the same cells as the HTML table (whose numbers are the JSON's), with the command and date recorded
    const md = cli(['compare', '--markdown', '--out', out]);
    expect(md.status).toBe(0);
    expect(results.command).toBe(`pretext compare ${args(out).slice(1).join(' ')}`);
    expect(md.stdout).toContain(
      `Measured by \`${results.command}\` (finished ${results.updatedAt.slice(0, 10)}, 6 runs`,
    );
    const mdRows = md.stdout
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map((l) =>
        l
          .slice(2, -2)
          .split(/ (?<!\\)\| /)
          .map((c) => c.replace(/\\\|/g, '|')),
      );
    expect(mdRows[0]).toEqual([
      'Aspect',
      'Textbook: autoregressive',
      'Textbook: masked',
      'mlm',
      'clm',
      'electra',
      'Verdict',
    ]);
    rows.forEach((row, i) => {
      const html = cellsOf(row).map((c) => unescapeHtml(c.replace(/<[^>]+>/g, '')));
      expect(mdRows[i + 2].slice(0, -1), html[0]).toEqual(html.slice(0, -1));
    });
    expect(mdRows.find((r) => r[0].startsWith('Autoregressive: every token carries a loss'))?.[1]).toBe(
      '**reproduced**',
    );
    expect(html).toContain('Every token');
    expect(results.summary.claims.find((c: { id: string }) => c.id === 'signal-clm').verdict).toBe('reproduced');

    const again = cli(args(out));
    expect(again.status).toBe(0);
    expect(again.stderr.match(/finished earlier, skipped/g)).toHaveLength(6);
    const after = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    for (const id of Object.keys(results.runs)) expect(after.runs[id].finishedAt).toBe(results.runs[id].finishedAt);
  }, 300_000);

  it('--jobs 2 runs two at a time in child processes with the results of --jobs 1; continuing it skips finished runs', () => {
    const out = join(dir, 'jobs');
    const r = cli([...args(out), '--jobs', '2']);
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    const single = comparable(join(dir, 'report', 'results.json'), join(dir, 'report'));
    expect(comparable(join(out, 'results.json'), out)).toEqual(single);
    // a stopped comparison: two runs missing from results.json
    const path = join(out, 'results.json');
    const partial = JSON.parse(readFileSync(path, 'utf8'));
    delete partial.runs['clm/seed-1'];
    delete partial.runs['electra/seed-0'];
    writeFileSync(path, JSON.stringify(partial));
    const again = cli([...args(out), '--jobs', '2']);
    expect(again.status).toBe(0);
    expect(again.stderr.match(/finished earlier, skipped/g)).toHaveLength(4);
    expect(again.stderr).toContain('pretext compare: clm/seed-1 (1 of 2)');
    expect(comparable(path, out)).toEqual(single);
  }, 300_000);

  it("an objective's option flags reach its runs (and only the runs of objectives that declare them)", () => {
    const out = join(dir, 'options');
    const r = cli([
      'compare',
      '--objectives',
      'mlm,clm',
      '--tokens',
      '512',
      '--seeds',
      '1',
      '--evals',
      'fill-mask',
      '--max-tokens',
      '200',
      ...modelFlags(),
      '--mask-prob',
      '0.3',
      '--boundary-labels',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    const options = (run: string) =>
      JSON.parse(readFileSync(join(out, 'runs', run, 'run-config.json'), 'utf8')).options;
    expect(options('mlm-seed-0')).toEqual({ maskProb: 0.3 });
    expect(options('clm-seed-0')).toEqual({ boundaryLabels: true });
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.runs['mlm/seed-0'].lossShare).toBeGreaterThan(0.2); // 30% of the eligible tokens, not 15%
  }, 120_000);

  it('bad input is one line and exit 2, before anything is written', () => {
    const out = join(dir, 'bad');
    for (const [flags, message] of [
      [['--objectives', 'mlm,nope', '--tokens', '100'], "unknown objective 'nope'"],
      [['--objectives', 'mlm', '--tokens', '100', '--budget', '5m'], 'exactly one of --budget'],
      [['--objectives', 'mlm', '--budget', '5 minutes'], '--budget must be a duration'],
    ] as [string[], string][]) {
      const r = cli(['compare', ...flags, '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  });
});
