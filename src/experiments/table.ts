// The note's comparison table, rebuilt row by row from measured values. Every number is a reference into
// results.json (a path and its digits), so the report prints exactly what the JSON holds and a test can check it.
import type { Claim } from './claims.js';
import type { Results } from './results.js';
import type { MetricTable, Verdict } from './summary.js';

/** A number of results.json: its path (keys from the root) and the digits it is printed with. */
export interface NumberRef {
  path: (string | number)[];
  digits: number;
}

export type CellPart = string | NumberRef;

export interface TableRow {
  aspect: string;
  /** the note's entries: autoregressive, masked */
  textbook: [string, string];
  /** objective -> the measured cell */
  measured: Record<string, CellPart[]>;
  verdict: Verdict | '—';
  /** why there is no verdict, or which claims decide it */
  verdictNote: string;
}

export interface ComparisonSummary {
  metrics: MetricTable;
  /** objective -> share of (query, later key) pairs its rows' attention mask allows (0 = causal, 1 = bidirectional) */
  direction: Record<string, number>;
  claims: Claim[];
}

const M = (objective: string, key: string, field: 'mean' | 'low' | 'high', digits: number): NumberRef => ({ path: ['summary', 'metrics', objective, key, field], digits });

function interval(m: MetricTable, objective: string, key: string, digits: number, scale = ''): CellPart[] {
  const x = m[objective]?.[key];
  if (!x) return ['n/a'];
  const mean = M(objective, key, 'mean', digits);
  return x.seeds > 1 ? [mean, `${scale} [`, M(objective, key, 'low', digits), ', ', M(objective, key, 'high', digits), ']'] : [mean, `${scale} (1 seed)`];
}

// The verdict of a row from the claims that decide it: all reproduced -> reproduced; any against -> against.
function combined(claims: Claim[], ids: string[]): { verdict: Verdict | '—'; verdictNote: string } {
  const cs = claims.filter((c) => ids.includes(c.id));
  if (cs.length === 0) return { verdict: '—', verdictNote: 'needs both sides of the comparison in the run' };
  const order: Verdict[] = ['not reproduced at this scale', 'inconclusive', 'not run', 'reproduced'];
  const verdict = order.find((v) => cs.some((c) => c.verdict === v)) ?? 'inconclusive';
  return { verdict, verdictNote: cs.map((c) => c.claim).join('; ') };
}

function baselinesOf(m: MetricTable, objectives: string[], task: string): CellPart[] {
  const o = objectives.find((x) => m[x]?.[task] !== undefined);
  if (!o) return [];
  const names = Object.keys(m[o]).filter((k) => k.startsWith(`${task}:`));
  return names.flatMap((k, i) => [`${i ? '; ' : ' (baselines: '}${k.slice(task.length + 1)} `, M(o, k, 'mean', 3), ...(i === names.length - 1 ? [')'] : [])]);
}

/** The rows, one measured cell per objective that ran. */
export function comparisonRows(results: Results, s: ComparisonSummary): TableRow[] {
  const objs = Object.keys(s.metrics);
  const per = (f: (o: string) => CellPart[]) => Object.fromEntries(objs.map((o) => [o, f(o)]));
  const m = s.metrics;
  const direction: TableRow = {
    aspect: 'Direction, context',
    textbook: ['Left-to-right, past only', 'Bidirectional, full context'],
    measured: per((o) => (s.direction[o] === undefined ? ['n/a'] : [{ path: ['summary', 'direction', o], digits: 2 }, ' of later keys attended (figure: attention masks)'])),
    ...(s.direction.mlm === 1 && s.direction.clm === 0 ? { verdict: 'reproduced' as const, verdictNote: 'the masks of the rows the transforms make' } : { verdict: '—' as const, verdictNote: 'needs mlm and clm in the run' }),
  };
  const rows: TableRow[] = [direction];
  rows.push({ aspect: 'Training signal: share of tokens carrying a loss', textbook: ['Every token', '~15% of tokens'], measured: per((o) => interval(m, o, 'lossShare', 3)), ...combined(s.claims, ['signal-clm', 'signal-mlm']) });
  rows.push({ aspect: 'Validation loss after the budget (nats per predicted token)', textbook: ['—', '—'], measured: per((o) => [...interval(m, o, 'valLoss', 3), ' after ', M(o, 'tokens', 'mean', 0), ' tokens']), verdict: '—', verdictNote: 'different targets: compare each objective with itself across seeds (figure: loss curves)' });
  rows.push({ aspect: 'Validation accuracy (masked tokens) / perplexity (next token)', textbook: ['—', '—'], measured: per((o) => (m[o].valAccuracy !== undefined ? ['accuracy ', ...interval(m, o, 'valAccuracy', 3)] : m[o].valPpl !== undefined ? ['perplexity ', ...interval(m, o, 'valPpl', 1)] : ['n/a'])), verdict: '—', verdictNote: 'the trainer\'s metric of each objective' });
  rows.push({ aspect: 'Generation', textbook: ['Natural', 'Requires tricks'], measured: per((o) => (m[o].perplexity !== undefined ? ['held-out perplexity ', ...interval(m, o, 'perplexity', 1), '; sample below'] : m[o]['fill-mask'] !== undefined ? ['fill-mask accuracy ', ...interval(m, o, 'fill-mask', 3), '; mask-predict sample below'] : ['n/a'])), verdict: '—', verdictNote: 'read the samples: a perplexity and a fill-mask accuracy are not one scale' });
  for (const task of ['probe-genre', 'probe-sentiment']) {
    if (!objs.some((o) => m[o][task] !== undefined)) continue;
    rows.push({ aspect: `Understanding: ${task} accuracy`, textbook: ['Weaker', 'Stronger'], measured: per((o) => [...interval(m, o, task, 3), ...baselinesOf(m, [o], task)]), ...combined(s.claims, [`understanding-${task}`]) });
  }
  rows.push({ aspect: 'Compute per run (tokens, seconds, FLOPs ~ 6ND)', textbook: ['—', '—'], measured: per((o) => [M(o, 'tokens', 'mean', 0), ' tokens, ', M(o, 'seconds', 'mean', 1), ' s, ', { path: ['summary', 'metrics', o, 'flops', 'mean'], digits: -1 }, ' FLOPs']), verdict: '—', verdictNote: `budget: ${results.spec.budget.kind === 'seconds' ? `${results.spec.budget.value} s of training` : `${results.spec.budget.value} tokens`} per run` });
  return rows;
}

/** How a NumberRef prints: fixed digits, or (digits -1) three significant digits in exponent form. */
export function formatNumber(x: number, digits: number): string {
  return digits < 0 ? x.toExponential(2) : x.toFixed(digits);
}

/** The value at `path` in a JSON object. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
}
