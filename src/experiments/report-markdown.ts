// The comparison as Markdown for the README: the command line and date from results.json, the comparison table (the
// same rows and cells as report.html, numbers printed from results.json with their NumberRef digits) and the claims
// with their verdicts and notes.
import type { Results } from './results.js';
import { formatNumber, valueAt, type CellPart, type ComparisonSummary, type TableRow } from './table.js';

// Text inside a Markdown table cell: no pipes, no line breaks.
const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** A cell's text: its strings, and its numbers read from results.json (n/a where the path holds none). */
export function cellText(parts: CellPart[], results: Results): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const v = valueAt(results, p.path);
      return typeof v === 'number' ? formatNumber(v, p.digits) : 'n/a';
    })
    .join('');
}

const line = (cells: string[]): string => `| ${cells.map(md).join(' | ')} |`;

/** The Markdown section: heading, command and date, the table, the claims. */
export function renderMarkdown(results: Results, summary: ComparisonSummary, rows: TableRow[]): string {
  const objectives = Object.keys(summary.metrics);
  const b = results.spec.budget;
  const budget = b.kind === 'seconds' ? `${b.value} s of training (wall clock)` : `${b.value} tokens`;
  const runs = Object.keys(results.runs).length;
  const out = [
    `Measured by \`${results.command ?? 'pretext compare'}\` (finished ${results.updatedAt.slice(0, 10)}, ${runs} runs: seeds ${results.spec.seeds.join(', ')}; budget ${budget} per run). Intervals: mean over seeds [95% Student-t interval].`,
    '',
    line(['Aspect', 'Textbook: autoregressive', 'Textbook: masked', ...objectives, 'Verdict']),
    line(['---', '---', '---', ...objectives.map(() => '---'), '---']),
    ...rows.map((r) =>
      line([
        r.aspect,
        r.textbook[0],
        r.textbook[1],
        ...objectives.map((o) => cellText(r.measured[o] ?? ['n/a'], results)),
        r.verdict,
      ]),
    ),
    '',
    line(['Claim', 'Verdict', 'Measured']),
    line(['---', '---', '---']),
    ...summary.claims.map((c) => line([`${c.claim} (${c.source})`, `**${c.verdict}**`, c.note])),
  ];
  const skipped = Object.entries(results.skipped);
  if (skipped.length) out.push('', ...skipped.map(([o, why]) => `- ${o} was not trained: ${md(why)}`));
  return `${out.join('\n')}\n`;
}
