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

const M = (objective: string, key: string, field: 'mean' | 'low' | 'high', digits: number): NumberRef => ({
  path: ['summary', 'metrics', objective, key, field],
  digits,
});

function interval(m: MetricTable, objective: string, key: string, digits: number, scale = ''): CellPart[] {
  const x = m[objective]?.[key];
  if (!x) return ['n/a'];
  const mean = M(objective, key, 'mean', digits);
  return x.seeds > 1
    ? [mean, `${scale} [`, M(objective, key, 'low', digits), ', ', M(objective, key, 'high', digits), ']']
    : [mean, `${scale} (1 seed)`];
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
  return names.flatMap((k, i) => [
    `${i ? '; ' : ' (baselines: '}${k.slice(task.length + 1)} `,
    M(o, k, 'mean', 3),
    ...(i === names.length - 1 ? [')'] : []),
  ]);
}

// What each loss term's share counts (no digits: the test reads every digit of a cell from results.json).
const TERMS: Record<string, string> = {
  mlm: 'masked tokens',
  lm: 'predicted tokens',
  pair: 'one [CLS] per row',
  rtd: 'every real token (discriminator)',
  contrastive: 'one sentence vector per row',
};

function signalCell(m: MetricTable, o: string): CellPart[] {
  const terms = Object.keys(m[o] ?? {})
    .filter((k) => k.startsWith('lossShare.'))
    .map((k) => k.slice('lossShare.'.length));
  const parts = terms.flatMap((t, i) => [
    `${i ? '; ' : ' ('}${t}: ${TERMS[t] ?? t} `,
    M(o, `lossShare.${t}`, 'mean', 3),
  ]);
  return [...interval(m, o, 'lossShare', 3), ...(parts.length ? [...parts, ')'] : [])];
}

// A row for a figure some objectives have: `cell` for those, n/a for the others; none when no objective has it.
function figureRow(
  objs: string[],
  m: MetricTable,
  task: string,
  row: Omit<TableRow, 'measured'>,
  cell: (o: string) => CellPart[],
): TableRow[] {
  if (!objs.some((o) => m[o][task] !== undefined)) return [];
  return [{ ...row, measured: Object.fromEntries(objs.map((o) => [o, m[o][task] !== undefined ? cell(o) : ['n/a']])) }];
}

// The sentence-level rows: pair tasks, replaced-token detection, sentence vectors, span accuracy.
function sentenceRows(objs: string[], m: MetricTable, claims: Claim[]): TableRow[] {
  const extra = (o: string, key: string, label: string): CellPart[] =>
    m[o][key] ? [`; ${label} `, ...interval(m, o, key, 3)] : [];
  return [
    ...figureRow(
      objs,
      m,
      'pair',
      {
        aspect: 'Sentence pairs: held-out NSP / SOP accuracy',
        textbook: ['—', 'NSP is easy (random negatives); SOP is harder'],
        ...combined(claims, ['nsp-vs-sop', 'nsp-too-easy']),
      },
      (o) => [
        ...interval(m, o, 'pair', 3),
        ...extra(o, 'pair.sameGenre', 'same-genre negatives'),
        ...baselinesOf(m, [o], 'pair'),
      ],
    ),
    ...figureRow(
      objs,
      m,
      'rtd',
      {
        aspect: 'Replaced-token detection (held-out rows): AUC, discriminator accuracy',
        textbook: ['—', 'ELECTRA: learns from every token'],
        ...combined(claims, ['signal-electra', 'electra-probe-genre', 'electra-probe-sentiment']),
      },
      (o) => [
        'AUC ',
        ...interval(m, o, 'rtd', 3),
        ...extra(o, 'rtd.discriminatorAccuracy', 'accuracy'),
        ...extra(o, 'rtd.majority', 'all-original accuracy'),
        ...extra(o, 'rtd.generatorAccuracy', 'generator fill-mask'),
      ],
    ),
    ...figureRow(
      objs,
      m,
      'sentence-pairs',
      {
        aspect:
          'Sentence vectors (held-out next-sentence pairs): retrieval, alignment, uniformity (lower is better for both)',
        textbook: ['—', 'SimCSE beats mean-pooled MLM vectors'],
        ...combined(claims, ['simcse-retrieval', 'simcse-uniformity', 'simcse-probe-genre', 'simcse-probe-sentiment']),
      },
      (o) => [
        'retrieval ',
        ...interval(m, o, 'sentence-pairs', 3),
        ...extra(o, 'sentence-pairs.alignment', 'alignment'),
        ...extra(o, 'sentence-pairs.uniformity', 'uniformity'),
        ...baselinesOf(m, [o], 'sentence-pairs'),
      ],
    ),
    ...figureRow(
      objs,
      m,
      'span-accuracy',
      {
        aspect: 'Span corruption (held-out rows, teacher forcing): exact spans, tokens',
        textbook: ['—', '—'],
        verdict: '—',
        verdictNote: 'the seq2seq figure; no textbook claim',
      },
      (o) => [
        'exact spans ',
        ...interval(m, o, 'span-accuracy', 3),
        ...extra(o, 'span-accuracy.tokenAccuracy', 'tokens'),
      ],
    ),
  ];
}

// The trainer's headline validation figure of each family, first present wins: [key, label, digits].
const VALIDATION: [string, string, number][] = [
  ['valAccuracy', 'accuracy', 3],
  ['valPpl', 'perplexity', 1],
  ['val.disc_accuracy', 'discriminator accuracy', 3],
  ['val.span_accuracy', 'exact-span accuracy', 3],
  ['val.retrieval', 'in-batch retrieval', 3],
];

function validationCell(m: MetricTable, o: string): CellPart[] {
  const hit = VALIDATION.find(([k]) => m[o][k] !== undefined);
  return hit ? [`${hit[1]} `, ...interval(m, o, hit[0], hit[2])] : ['n/a'];
}

/** The rows, one measured cell per objective that ran. */
export function comparisonRows(results: Results, s: ComparisonSummary): TableRow[] {
  const objs = Object.keys(s.metrics);
  const per = (f: (o: string) => CellPart[]) => Object.fromEntries(objs.map((o) => [o, f(o)]));
  const m = s.metrics;
  const direction: TableRow = {
    aspect: 'Direction, context',
    textbook: ['Left-to-right, past only', 'Bidirectional, full context'],
    measured: per((o) =>
      s.direction[o] === undefined
        ? ['n/a']
        : [{ path: ['summary', 'direction', o], digits: 2 }, ' of later keys attended (figure: attention masks)'],
    ),
    ...(s.direction.mlm === 1 && s.direction.clm === 0
      ? { verdict: 'reproduced' as const, verdictNote: 'the masks of the rows the transforms make' }
      : { verdict: '—' as const, verdictNote: 'needs mlm and clm in the run' }),
  };
  const rows: TableRow[] = [direction];
  rows.push({
    aspect: 'Training signal: share of tokens carrying a loss',
    textbook: ['Every token', '~15% of tokens'],
    measured: per((o) => signalCell(m, o)),
    ...combined(s.claims, ['signal-clm', 'signal-mlm', 'signal-electra']),
  });
  rows.push({
    aspect: 'Validation loss after the budget (nats per predicted token)',
    textbook: ['—', '—'],
    measured: per((o) => [...interval(m, o, 'valLoss', 3), ' after ', M(o, 'tokens', 'mean', 0), ' tokens']),
    verdict: '—',
    verdictNote: 'different targets: compare each objective with itself across seeds (figure: loss curves)',
  });
  rows.push({
    aspect: "Validation figure of the trainer (accuracy of the predicted tokens, perplexity, or the family's own)",
    textbook: ['—', '—'],
    measured: per((o) => validationCell(m, o)),
    verdict: '—',
    verdictNote: "the trainer's metric of each objective on the validation rows",
  });
  rows.push({
    aspect: 'Generation',
    textbook: ['Natural', 'Requires tricks'],
    measured: per((o) =>
      m[o].perplexity !== undefined
        ? ['held-out perplexity ', ...interval(m, o, 'perplexity', 1), '; sample below']
        : m[o]['fill-mask'] !== undefined
          ? ['fill-mask accuracy ', ...interval(m, o, 'fill-mask', 3), '; mask-predict sample below']
          : ['n/a'],
    ),
    verdict: '—',
    verdictNote: 'read the samples: a perplexity and a fill-mask accuracy are not one scale',
  });
  for (const task of ['probe-genre', 'probe-sentiment']) {
    if (!objs.some((o) => m[o][task] !== undefined)) continue;
    rows.push({
      aspect: `Understanding: ${task} accuracy`,
      textbook: ['Weaker', 'Stronger'],
      measured: per((o) => [...interval(m, o, task, 3), ...baselinesOf(m, [o], task)]),
      ...combined(s.claims, [`understanding-${task}`]),
    });
  }
  rows.push(...sentenceRows(objs, m, s.claims));
  rows.push({
    aspect: 'Compute per run (tokens, seconds, FLOPs ~ 6ND)',
    textbook: ['—', '—'],
    measured: per((o) => [
      M(o, 'tokens', 'mean', 0),
      ' tokens, ',
      M(o, 'seconds', 'mean', 1),
      ' s, ',
      { path: ['summary', 'metrics', o, 'flops', 'mean'], digits: -1 },
      ' FLOPs',
    ]),
    verdict: '—',
    verdictNote: `budget: ${results.spec.budget.kind === 'seconds' ? `${results.spec.budget.value} s of training` : `${results.spec.budget.value} tokens`} per run`,
  });
  return rows;
}

/** How a NumberRef prints: fixed digits, or (digits -1) three significant digits in exponent form. */
export function formatNumber(x: number, digits: number): string {
  return digits < 0 ? x.toExponential(2) : x.toFixed(digits);
}

/** The value at `path` in a JSON object. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    root,
  );
}
