// From finished runs to what the report says: each figure's mean and 95% Student-t interval over seeds (the
// interval the probe figure draws, summarizeProbe), and the verdict of a claim from two intervals.
import { summarizeProbe } from '../viz/index.js';
import type { Results, RunRecord } from './results.js';

export interface Interval {
  mean: number;
  low: number;
  high: number;
  seeds: number;
  /** the lowest and highest single seed */
  min: number;
  max: number;
}

/** objective -> figure key -> interval over its seeds. */
export type MetricTable = Record<string, Record<string, Interval>>;

export type Verdict = 'reproduced' | 'not reproduced at this scale' | 'inconclusive' | 'not run';

/** The figures of one run by key: training figures, then each evaluation, its baselines and extras. */
export function runFigures(r: RunRecord): Record<string, number> {
  const out: Record<string, number> = {
    lossShare: r.lossShare,
    tokens: r.trained.tokens,
    seconds: r.trained.seconds,
    flops: r.trained.flops,
    steps: r.trained.steps,
  };
  for (const [term, share] of Object.entries(r.lossShares ?? {})) out[`lossShare.${term}`] = share;
  const last = r.curve.at(-1);
  if (last) {
    out.valLoss = last.val_loss;
    if (last.val_accuracy !== undefined) out.valAccuracy = last.val_accuracy;
    if (last.val_ppl !== undefined) out.valPpl = last.val_ppl;
    for (const [name, v] of Object.entries(last.figures ?? {})) out[`val.${name}`] = v;
  }
  for (const [task, e] of Object.entries(r.evals)) {
    out[task] = e.value;
    for (const [name, v] of Object.entries(e.baselines ?? {})) out[`${task}:${name}`] = v;
    for (const [name, v] of Object.entries(e.extra ?? {})) out[`${task}.${name}`] = v;
  }
  return out;
}

/** Intervals over seeds of every figure each objective's runs have. */
export function metricTable(results: Results): MetricTable {
  const byObjective = new Map<string, RunRecord[]>();
  for (const r of Object.values(results.runs))
    byObjective.set(r.objective, [...(byObjective.get(r.objective) ?? []), r]);
  const table: MetricTable = {};
  for (const [objective, runs] of byObjective) {
    const figures = runs.sort((a, b) => a.seed - b.seed).map(runFigures);
    const keys = [...new Set(figures.flatMap((f) => Object.keys(f)))];
    table[objective] = {};
    for (const key of keys) {
      const rows = figures.flatMap((f, i) =>
        f[key] === undefined ? [] : [{ objective, seed: runs[i].seed, accuracy: f[key] }],
      );
      const [s] = summarizeProbe({ task: key, results: rows });
      const xs = rows.map((r) => r.accuracy);
      table[objective][key] = {
        mean: s.mean,
        low: s.low,
        high: s.high,
        seeds: s.seeds,
        min: Math.min(...xs),
        max: Math.max(...xs),
      };
    }
  }
  return table;
}

/** Textbook: `better` > `worse`. Disjoint intervals decide; overlapping ones, or a single seed, do not. */
export function verdictOf(better: Interval | undefined, worse: Interval | undefined): Verdict {
  if (!better || !worse) return 'not run';
  if (better.seeds < 2 || worse.seeds < 2) return 'inconclusive';
  if (better.low > worse.high) return 'reproduced';
  if (worse.low > better.high) return 'not reproduced at this scale';
  return 'inconclusive';
}

/** Textbook: the figure lies in [lo, hi] on every seed (a share of tokens: a property of the data, not of training). */
export function rangeVerdict(x: Interval | undefined, lo: number, hi: number): Verdict {
  if (!x) return 'not run';
  return x.min >= lo && x.max <= hi ? 'reproduced' : 'not reproduced at this scale';
}

/** Share of (query i, key j > i) pairs an [L, L] attention mask allows: 0 = causal, 1 = bidirectional. */
export function laterKeyShare(mask: ArrayLike<number>, L: number): number {
  let allowed = 0;
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) allowed += mask[i * L + j] ? 1 : 0;
  return L > 1 ? allowed / ((L * (L - 1)) / 2) : 0;
}
