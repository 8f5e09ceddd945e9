// The 80/10/10 split as measured: the real mlm transform over many rows, counting what each selected token became.
// A selected token whose random draw equals its own id reads as kept (1 / vocabulary size of the random share).
import type { TopLevelSpec } from 'vega-lite';
import { IGNORE_INDEX, type TokenExample } from '../batch/row.js';
import { specialMask, type VocabInfo } from '../tokenize/vocab.js';
import { mlmObjective, type MlmOptions } from '../objectives/mlm/index.js';
import { config, ROLE_FILL } from './theme.js';

export interface MaskSplit {
  rows: number;
  tokens: number;
  /** non-special tokens: the ones mlm may select */
  eligible: number;
  selected: number;
  masked: number;
  random: number;
  kept: number;
  /** the options' shares: selection rate, [MASK], random, kept */
  expected: { select: number; masked: number; random: number; kept: number };
}

/** Run mlm over `rows` (seeded) and count. */
export function measureMaskSplit(
  rows: Iterable<TokenExample>,
  opts: Partial<MlmOptions>,
  vocab: VocabInfo,
  seed: number,
): MaskSplit {
  const o = mlmObjective.resolve(opts);
  const special = specialMask(vocab);
  const s: MaskSplit = {
    rows: 0,
    tokens: 0,
    eligible: 0,
    selected: 0,
    masked: 0,
    random: 0,
    kept: 0,
    expected: {
      select: o.maskProb,
      masked: o.maskReplaceProb,
      random: o.randomReplaceProb,
      kept: 1 - o.maskReplaceProb - o.randomReplaceProb,
    },
  };
  for (const ex of mlmObjective.transform(rows, o, { seed, epoch: 0, vocab })) {
    const { input_ids: ids, labels } = ex;
    s.rows++;
    s.tokens += ids.length;
    for (let i = 0; i < ids.length; i++) {
      const y = labels![i];
      if (y === IGNORE_INDEX) {
        if (!special[ids[i]]) s.eligible++;
        continue;
      }
      s.eligible++;
      s.selected++;
      if (ids[i] === vocab.maskId) s.masked++;
      else if (ids[i] === y) s.kept++;
      else s.random++;
    }
  }
  return s;
}

const pct = (x: number) => Math.round(x * 1000) / 10;

/** Bars: the measured share of selected tokens per outcome, with the expected share as a black tick. */
export function maskSplitFigure(s: MaskSplit, corpus: string): TopLevelSpec {
  const bars = [
    {
      outcome: '[MASK]',
      role: 'masked',
      measured: pct(s.masked / s.selected),
      expected: pct(s.expected.masked),
      count: s.masked,
    },
    {
      outcome: 'random token',
      role: 'random',
      measured: pct(s.random / s.selected),
      expected: pct(s.expected.random),
      count: s.random,
    },
    {
      outcome: 'kept',
      role: 'kept',
      measured: pct(s.kept / s.selected),
      expected: pct(s.expected.kept),
      count: s.kept,
    },
  ];
  const x = {
    field: 'outcome',
    type: 'nominal',
    sort: null,
    title: 'what a selected token becomes (black tick: expected share)',
    axis: { labelAngle: 0, labelFontSize: 12 },
  };
  const selectRate = (100 * s.selected) / s.eligible;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'MLM 80/10/10, measured',
      subtitle: [
        `${s.selected.toLocaleString('en-US')} selected of ${s.eligible.toLocaleString('en-US')} eligible tokens (${selectRate.toFixed(2)}%, expected ${pct(s.expected.select)}%)`,
        `${corpus}; ${s.rows.toLocaleString('en-US')} rows through the mlm transform`,
      ],
    },
    config,
    width: 460,
    height: 280,
    data: { values: bars },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.6 } },
        encoding: {
          x,
          y: {
            field: 'measured',
            type: 'quantitative',
            title: 'share of selected tokens (%)',
            scale: { domain: [0, 100] },
          },
          color: {
            field: 'role',
            type: 'nominal',
            scale: {
              domain: ['masked', 'random', 'kept'],
              range: [ROLE_FILL.masked, ROLE_FILL.random, ROLE_FILL.kept],
            },
            legend: null,
          },
          tooltip: [{ field: 'outcome' }, { field: 'measured' }, { field: 'expected' }, { field: 'count' }],
        },
      },
      {
        mark: { type: 'tick', color: 'black', thickness: 2, size: 40 },
        encoding: { x, y: { field: 'expected', type: 'quantitative' } },
      },
      {
        mark: { type: 'text', dy: -12, fontSize: 13, fontWeight: 'bold' },
        encoding: { x, y: { field: 'measured', type: 'quantitative' }, text: { field: 'label' } },
        transform: [{ calculate: "format(datum.measured, '.1f') + '%'", as: 'label' }],
      },
      {
        mark: { type: 'text', dy: -28, fontSize: 11, color: '#555' },
        encoding: { x, y: { field: 'measured', type: 'quantitative' }, text: { field: 'note' } },
        transform: [{ calculate: "'expected ' + datum.expected + '%'", as: 'note' }],
      },
    ],
  } as TopLevelSpec;
}
