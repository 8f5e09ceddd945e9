// Loss curves of training runs, from the rows of each run's log.jsonl ({step, loss, ...} and {step, val_loss, ...}).
import type { TopLevelSpec } from 'vega-lite';
import { ensure } from '../errors.js';
import { config, SERIES } from './theme.js';

export interface LossRun {
  /** how the run is named in the legend (its folder) */
  name: string;
  /** log.jsonl rows, in order */
  rows: readonly Record<string, unknown>[];
}

interface Point {
  run: string;
  step: number;
  loss: number;
  split: 'train' | 'validation';
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The train (loss) and validation (val_loss) points of the runs; a run without any is an error. */
export function lossPoints(runs: readonly LossRun[]): Point[] {
  ensure(runs.length > 0, 'loss curves: give at least one run');
  const out: Point[] = [];
  for (const r of runs) {
    const before = out.length;
    for (const row of r.rows) {
      if (!finite(row.step)) continue;
      if (finite(row.loss)) out.push({ run: r.name, step: row.step, loss: row.loss, split: 'train' });
      if (finite(row.val_loss)) out.push({ run: r.name, step: row.step, loss: row.val_loss, split: 'validation' });
    }
    ensure(out.length > before, `loss curves: run '${r.name}' has no rows with a step and a loss`);
  }
  return out;
}

/** Train loss as lines, validation loss as dashed lines with points, one colour per run. */
export function lossCurvesFigure(runs: readonly LossRun[], title = 'Training loss'): TopLevelSpec {
  const values = lossPoints(runs);
  const names = runs.map((r) => r.name);
  const color = { field: 'run', type: 'nominal', title: 'run', scale: { domain: names, range: SERIES } };
  const x = { field: 'step', type: 'quantitative', title: 'step' };
  const y = { field: 'loss', type: 'quantitative', title: 'loss (cross-entropy, nats)', scale: { zero: false } };
  const hasVal = values.some((p) => p.split === 'validation');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: title,
      subtitle: hasVal
        ? 'solid: training loss per step; dashed with points: validation loss'
        : 'training loss per step',
    },
    config,
    width: 520,
    height: 300,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.split === 'train'" }],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { x, y, color, detail: { field: 'run' } },
      },
      {
        transform: [{ filter: "datum.split === 'validation'" }],
        mark: { type: 'line', strokeDash: [5, 3], point: { filled: true, size: 40 } },
        encoding: { x, y, color, tooltip: [{ field: 'run' }, { field: 'step' }, { field: 'loss', format: '.4f' }] },
      },
    ],
  } as TopLevelSpec;
}
