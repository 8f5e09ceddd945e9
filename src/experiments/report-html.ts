// report.html: one self-contained page (inline CSS, figures as inline SVG, no script, no request) from results.json.
// Table numbers carry data-path (their place in results.json) and print with the digits of their NumberRef.
import type { Results, RunRecord } from './results.js';
import { formatNumber, valueAt, type CellPart, type ComparisonSummary, type TableRow } from './table.js';

export interface ReportFigure {
  title: string;
  svg: string;
  caption: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1600px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.35em .6em;vertical-align:top;text-align:left}
th{background:#f3f3f3}.num{font-variant-numeric:tabular-nums}.v-reproduced{color:#1a7f37}.v-not{color:#b42318}
.v-inconclusive,.v-not-run{color:#8a6d00}figure{margin:1.5em 0}figcaption{color:#555;font-size:13px}pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap}`;

function cell(parts: CellPart[], results: Results): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return esc(p);
      const v = valueAt(results, p.path);
      if (typeof v !== 'number') return 'n/a';
      return `<span class="num" data-path="${esc(JSON.stringify(p.path))}" data-digits="${p.digits}">${formatNumber(v, p.digits)}</span>`;
    })
    .join('');
}

const verdictClass = (v: string): string =>
  v.startsWith('not reproduced') ? 'v-not' : v === 'not run' ? 'v-not-run' : `v-${v}`;

function comparisonTable(rows: TableRow[], objectives: string[], results: Results): string {
  const head = `<tr><th>Aspect</th><th>Textbook: autoregressive</th><th>Textbook: masked</th>${objectives.map((o) => `<th>measured: ${esc(o)}</th>`).join('')}<th>Verdict</th></tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.aspect)}</td><td>${esc(r.textbook[0])}</td><td>${esc(r.textbook[1])}</td>${objectives.map((o) => `<td>${cell(r.measured[o] ?? ['n/a'], results)}</td>`).join('')}<td class="${verdictClass(r.verdict)}"><b>${esc(r.verdict)}</b><br><small>${esc(r.verdictNote)}</small></td></tr>`,
    )
    .join('\n');
  return `<table id="comparison">\n${head}\n${body}\n</table>`;
}

function claimsList(s: ComparisonSummary): string {
  if (s.claims.length === 0) return '<p>No claim has both of its objectives in this comparison.</p>';
  const rows = s.claims.map(
    (c) =>
      `<tr><td>${esc(c.claim)}<br><small>${esc(c.source)}</small></td><td class="${verdictClass(c.verdict)}"><b>${esc(c.verdict)}</b></td><td>${esc(c.note)}</td></tr>`,
  );
  return `<table id="claims"><tr><th>Claim</th><th>Verdict</th><th>Measured</th></tr>\n${rows.join('\n')}\n</table>`;
}

function runsTable(runs: RunRecord[]): string {
  const rows = runs.map(
    (r) =>
      `<tr><td>${esc(r.id)}</td><td>${esc(r.architecture)}, ${(r.parameters / 1e6).toFixed(2)}M</td><td>${r.trained.steps}</td><td>${r.trained.tokens}</td><td>${r.trained.seconds.toFixed(1)}</td><td>${r.trained.flops.toExponential(2)}</td><td>${esc(r.dir)}</td></tr>`,
  );
  return `<table id="runs"><tr><th>Run</th><th>Model</th><th>Steps</th><th>Tokens</th><th>Seconds</th><th>FLOPs</th><th>Folder</th></tr>\n${rows.join('\n')}\n</table>`;
}

function samples(runs: RunRecord[]): string {
  const withSample = runs.filter((r) => r.sample);
  if (withSample.length === 0) return '<p>No generation sample (no run has an lm or mlm head).</p>';
  return withSample
    .map(
      (r) =>
        `<p><b>${esc(r.id)}</b> (${esc(r.sample!.method)})</p><pre>${esc(r.sample!.prompt)} <b>${esc(r.sample!.completion)}</b></pre>`,
    )
    .join('\n');
}

/** The whole page. */
export function renderReport(
  results: Results,
  summary: ComparisonSummary,
  rows: TableRow[],
  figures: ReportFigure[],
  command: string,
): string {
  const runs = Object.values(results.runs);
  const objectives = Object.keys(summary.metrics);
  const b = results.spec.budget;
  const skipped = Object.entries(results.skipped);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pretext compare: ${esc(results.spec.objectives.join(', '))}</title><style>${CSS}</style></head><body>
<h1>pretext compare: ${esc(results.spec.objectives.join(' vs '))}</h1>
<p>Command: <code>${esc(command)}</code><br>Budget: ${b.kind === 'seconds' ? `${b.value} s of training (wall clock)` : `${b.value} tokens`} per run; seeds ${esc(results.spec.seeds.join(', '))}; ${runs.length} runs finished; updated ${esc(results.updatedAt)}.
Every run has the same model size, corpus, tokenizer size and split (config below); each reports tokens, seconds and FLOPs.</p>
${skipped.length ? `<h2>Skipped</h2><ul>${skipped.map(([o, why]) => `<li><b>${esc(o)}</b>: ${esc(why)}</li>`).join('')}</ul>` : ''}
<h2>The comparison table, measured</h2>
<p>Intervals: mean over seeds [95% Student-t interval]. A verdict is "reproduced" when the intervals are disjoint the textbook's way, "not reproduced at this scale" when they are disjoint the other way, "inconclusive" when they overlap or there is one seed.</p>
${comparisonTable(rows, objectives, results)}
<h2>Claims</h2>
${claimsList(summary)}
<h2>Figures</h2>
${figures.map((f) => `<figure><figcaption><b>${esc(f.title)}</b>: ${esc(f.caption)}</figcaption>\n${f.svg}\n</figure>`).join('\n')}
<h2>Generation samples</h2>
${samples(runs)}
<h2>Runs</h2>
${runsTable(runs)}
<h2>Shared config</h2>
<pre>${esc(JSON.stringify(results.spec.config, null, 1))}</pre>
</body></html>
`;
}
