// The text form of an eval report: a header, the probe table (probe beside its baselines) or the figures as
// indented "name value" lines.

interface ScoreRow {
  accuracy: number;
  macroF1: number;
  note?: string;
  C?: number;
}

const fmt = (v: unknown): string =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? String(v)
      : v.toFixed(4)
    : Array.isArray(v)
      ? v.join(', ')
      : String(v);

// Nested figures as indented lines.
function lines(obj: Record<string, unknown>, indent: string): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? [`${indent}${k}:`, ...lines(v as Record<string, unknown>, `${indent}  `)]
      : [`${indent}${k.padEnd(20)}${fmt(v)}`],
  );
}

function probeTable(r: Record<string, unknown>): string[] {
  const probe = r.probe as ScoreRow & { iterations: number; trainAccuracy: number };
  const split = r.split as Record<string, number>;
  const rows: [string, ScoreRow][] = [['probe', probe], ...Object.entries(r.baselines as Record<string, ScoreRow>)];
  return [
    `items: ${r.item}; pooling ${r.pooling}; ${(r.classes as string[]).length} classes`,
    `split: seed ${split.seed}, ${split.trainItems} train / ${split.testItems} test items (${split.trainGroups} / ${split.testGroups} groups)`,
    `logistic regressions: ${(r.logistic as { selection: string }).selection}`,
    `${''.padEnd(14)}${'accuracy'.padStart(9)}${'macro-F1'.padStart(10)}${'C'.padStart(7)}`,
    ...rows.map(
      ([name, s]) =>
        `${name.padEnd(14)}${s.accuracy.toFixed(4).padStart(9)}${s.macroF1.toFixed(4).padStart(10)}${(s.C === undefined ? '' : String(s.C)).padStart(7)}  ${name === 'probe' ? `the frozen model's pooled features (train accuracy ${probe.trainAccuracy.toFixed(4)})` : (s.note ?? '')}`,
    ),
  ];
}

export function renderEval(report: {
  task: string;
  checkpoint: string;
  model: { architecture: string };
  settings: object;
  results: object;
}): string {
  const r = report.results as Record<string, unknown>;
  const head = `${report.task} on ${report.checkpoint} (${report.model.architecture})`;
  const body = 'probe' in r && 'baselines' in r ? probeTable(r) : lines(r, '  ');
  return `${[head, ...body].join('\n')}\n`;
}
