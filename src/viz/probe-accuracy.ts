// Probe accuracy per objective: the mean over seeds with a 95% Student-t interval, every seed as a tick, and
// baselines as dashed rules. Input: the JSON shape below (docs/figures.md), which eval/compare write.
import type { TopLevelSpec } from 'vega-lite';
import { ensure, PretextError } from '../errors.js';
import { config, SERIES } from './theme.js';

/** One probe's results: one row per (objective, seed); baselines are optional reference accuracies. */
export interface ProbeResults {
  task: string;
  /** what `accuracy` measures (default 'accuracy') */
  metric?: string;
  results: { objective: string; seed: number; accuracy: number }[];
  baselines?: { name: string; accuracy: number }[];
}

export interface ProbeSummary {
  objective: string;
  seeds: number;
  mean: number;
  /** 95% interval of the mean (equal to the mean with one seed) */
  low: number;
  high: number;
}

// Two-sided 95% Student-t quantiles for 1..30 degrees of freedom; 1.96 beyond.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Checks the shape; throws a one-line PretextError naming the first bad field. */
export function checkProbeResults(json: unknown): ProbeResults {
  const bad = (what: string): never => {
    throw new PretextError(`probe results: ${what}`);
  };
  const o = json as ProbeResults;
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    bad('expected a JSON object {task, results: [{objective, seed, accuracy}], baselines?}');
  if (typeof o.task !== 'string') bad("'task' must be a string");
  if (!Array.isArray(o.results) || o.results.length === 0) bad("'results' must be a non-empty array");
  o.results.forEach((r, i) => {
    if (typeof r?.objective !== 'string') bad(`results[${i}].objective must be a string`);
    if (!Number.isInteger(r.seed)) bad(`results[${i}].seed must be an integer`);
    if (typeof r.accuracy !== 'number' || !(r.accuracy >= 0 && r.accuracy <= 1))
      bad(`results[${i}].accuracy must be a number in [0, 1]`);
  });
  if (o.baselines !== undefined && !Array.isArray(o.baselines)) bad("'baselines' must be an array");
  (o.baselines ?? []).forEach((b, i) => {
    if (typeof b?.name !== 'string' || typeof b.accuracy !== 'number' || !(b.accuracy >= 0 && b.accuracy <= 1))
      bad(`baselines[${i}] must be {name: string, accuracy: number in [0, 1]}`);
  });
  return o;
}

/** Mean and 95% t-interval per objective, in first-appearance order. */
export function summarizeProbe(r: ProbeResults): ProbeSummary[] {
  const by = new Map<string, number[]>();
  for (const x of r.results) by.set(x.objective, [...(by.get(x.objective) ?? []), x.accuracy]);
  return [...by].map(([objective, xs]) => {
    const n = xs.length;
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    if (n === 1) return { objective, seeds: 1, mean, low: mean, high: mean };
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
    const half = (T95[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
    return { objective, seeds: n, mean, low: mean - half, high: mean + half };
  });
}

export function probeAccuracyFigure(input: ProbeResults): TopLevelSpec {
  const r = checkProbeResults(input);
  const summary = summarizeProbe(r);
  const order = summary.map((s) => s.objective);
  ensure(order.length > 0, 'probe results: no objective');
  const metric = r.metric ?? 'accuracy';
  const y = { field: 'objective', type: 'nominal', sort: order, title: null, axis: { labelFontSize: 12 } };
  const x = {
    type: 'quantitative',
    title: `${metric} (mean over seeds, 95% interval)`,
    scale: { zero: false, nice: true },
  };
  const seeds = Math.max(...summary.map((s) => s.seeds));
  const layers: object[] = [
    {
      data: { values: r.results },
      mark: { type: 'tick', color: '#999', thickness: 1.5, size: 14 },
      encoding: { y, x: { ...x, field: 'accuracy' } },
    },
    {
      data: { values: summary },
      mark: { type: 'rule', strokeWidth: 2.5 },
      encoding: {
        y,
        x: { ...x, field: 'low' },
        x2: { field: 'high' },
        color: { field: 'objective', legend: null, scale: { domain: order, range: SERIES } },
      },
    },
    {
      data: { values: summary },
      mark: { type: 'point', filled: true, size: 90, opacity: 1 },
      encoding: {
        y,
        x: { ...x, field: 'mean' },
        color: { field: 'objective', legend: null },
        tooltip: [
          { field: 'objective' },
          { field: 'mean', format: '.3f' },
          { field: 'low', format: '.3f' },
          { field: 'high', format: '.3f' },
          { field: 'seeds' },
        ],
      },
    },
    {
      data: { values: summary },
      mark: { type: 'text', align: 'left', dx: 8, dy: -10, fontSize: 11 },
      encoding: { y, x: { ...x, field: 'high' }, text: { field: 'label' } },
      transform: [
        {
          calculate:
            "format(datum.mean, '.3f') + (datum.seeds > 1 ? ' ± ' + format((datum.high - datum.low) / 2, '.3f') : ' (1 seed)')",
          as: 'label',
        },
      ],
    },
  ];
  if (r.baselines?.length) {
    layers.push(
      {
        data: { values: r.baselines },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#666' },
        encoding: { x: { ...x, field: 'accuracy' } },
      },
      {
        data: { values: r.baselines },
        mark: { type: 'text', angle: 0, align: 'left', baseline: 'top', dx: 3, y: -14, fontSize: 10, color: '#444' },
        encoding: { x: { ...x, field: 'accuracy' }, text: { field: 'name' } },
      },
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Probe ${metric}: ${r.task}`,
      subtitle: `dots: mean of up to ${seeds} seeds; bars: 95% Student-t interval; grey ticks: single seeds${r.baselines?.length ? '; dashed: baselines' : ''}`,
    },
    config,
    width: 480,
    height: Math.max(120, order.length * 36),
    layer: layers,
  } as TopLevelSpec;
}
