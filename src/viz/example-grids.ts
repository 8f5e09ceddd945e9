// Figures of examples, built from the per-token view (src/view) that `pretext show` prints: MLM vs CLM targets,
// the masking of several seeds, encoder-decoder inputs and targets (T5 span corruption, BART), NSP/SOP pairs.
import type { TopLevelSpec } from 'vega-lite';
import { ensure } from '../errors.js';
import { describeSource, ROLE_DESCRIPTIONS, type Cell, type ExampleView, type ViewBlock } from '../view/index.js';
import { tokenGridFigure, type GridBlock, type GridRow } from './token-grid.js';

const SELECTED = new Set(['masked', 'random', 'kept']);

const notesOf = (v: ExampleView) =>
  v.blocks.filter((b): b is Extract<ViewBlock, { kind: 'note' }> => b.kind === 'note').map((b) => b.text);

/** The view's token blocks as grid blocks (columns stay aligned, inline rows flow); notes become the subtitle. */
export function gridBlocksOf(v: ExampleView, title?: string): GridBlock {
  const rows: GridRow[] = [];
  let aligned = false;
  for (const b of v.blocks) {
    if (b.kind === 'columns') {
      aligned = true;
      b.rows.forEach((cells, r) => rows.push({ label: b.labels[r].trim(), cells }));
    } else if (b.kind === 'inline') rows.push({ label: b.label.trim(), cells: b.cells });
  }
  return { title, subtitle: notesOf(v), rows, aligned };
}

function columnsOf(v: ExampleView): { labels: string[]; rows: Cell[][] } {
  const b = v.blocks.find((x) => x.kind === 'columns');
  ensure(b && b.kind === 'columns', 'figure: the example view has no aligned rows');
  return b;
}

/** MLM's input and targets (the originals at the selected positions) over CLM's input and next-token targets. */
export function targetsFigure(mlm: ExampleView, clm: ExampleView, seed: number): TopLevelSpec {
  const [original, input] = columnsOf(mlm).rows;
  const mlmTargets: Cell[] = input.map((c, i) =>
    SELECTED.has(c.role) ? { text: original[i].text, role: 'target' } : { text: '·', role: 'context' },
  );
  const [clmInput, predicts] = columnsOf(clm).rows;
  const share = (cells: Cell[]) => `${cells.filter((c) => c.role === 'target').length} of ${cells.length}`;
  return tokenGridFigure(
    [
      {
        title: 'Masked LM (BERT): predict the selected tokens from both sides',
        subtitle: `loss on ${share(mlmTargets)} positions`,
        aligned: true,
        rows: [
          { label: 'input', cells: input },
          { label: 'target', cells: mlmTargets },
        ],
      },
      {
        title: 'Causal LM (GPT-2): predict every next token from the left',
        subtitle: `loss on ${share(predicts)} positions (the model shifts: position t predicts token t + 1)`,
        aligned: true,
        rows: [
          { label: 'input', cells: clmInput },
          { label: 'target', cells: predicts },
        ],
      },
    ],
    ROLE_DESCRIPTIONS,
    'Training signal: MLM vs CLM on one sentence',
    `mlm seed ${seed}; · = no loss at that position`,
  );
}

/** Masked inputs of one sentence as rows under its original tokens (one row per seed, strategy, ...). */
export function maskRowsFigure(
  rows: { label: string; view: ExampleView }[],
  title: string,
  subtitle: string | string[],
): TopLevelSpec {
  ensure(rows.length > 0, 'masking figure: no row');
  const [original] = columnsOf(rows[0].view).rows;
  const grid: GridRow[] = [
    { label: 'original', cells: original },
    ...rows.map(({ label, view }) => ({ label, cells: columnsOf(view).rows[1] })),
  ];
  return tokenGridFigure([{ rows: grid, aligned: true }], ROLE_DESCRIPTIONS, title, subtitle);
}

const selectedIn = (v: ExampleView) => columnsOf(v).rows[1].filter((c) => SELECTED.has(c.role)).length;

/** The same sentence masked under several seeds: each row is the mlm input of one seed. */
export function seedsFigure(views: { seed: number; view: ExampleView }[], maskProb: number): TopLevelSpec {
  ensure(views.length > 0, 'seeds figure: no seed');
  const L = columnsOf(views[0].view).rows[0].length;
  const counts = views.map(({ view }) => selectedIn(view));
  return maskRowsFigure(
    views.map(({ seed, view }) => ({ label: `seed ${seed}`, view })),
    'Dynamic masking: one sentence, a different mask per seed',
    `${views.length} seeds; selected per seed: ${counts.join(', ')} of ${L} tokens (each eligible token with probability ${maskProb})`,
  );
}

/** One sentence, one seed, several masking strategies (token, whole word, SpanBERT spans, ALBERT n-grams). */
export function strategiesFigure(
  rows: { label: string; view: ExampleView }[],
  seed: number,
  maskProb: number,
): TopLevelSpec {
  return maskRowsFigure(
    rows.map((r) => ({ label: `${r.label} (${selectedIn(r.view)})`, view: r.view })),
    'Masking strategies on one sentence',
    `mlm with maskProb ${maskProb}, seed ${seed}; (n) = tokens selected. Whole words, spans and n-grams cover every piece of a word`,
  );
}

/** An encoder-decoder example: the corrupted inputs and the decoder's targets. */
export function seq2seqFigure(view: ExampleView, title: string, subtitle: string): TopLevelSpec {
  return tokenGridFigure([gridBlocksOf(view)], ROLE_DESCRIPTIONS, title, subtitle);
}

/** NSP/SOP pairs: one block per example, titled with its label and where A and B came from. */
export function pairsFigure(views: ExampleView[], title: string, subtitle: string): TopLevelSpec {
  ensure(views.length > 0, 'pairs figure: no example');
  const blocks = views.map((v, k) => {
    ensure(v.pair, 'pairs figure: an example without a pair label');
    const b = gridBlocksOf(v, `example ${k + 1}: ${v.pair.field} = ${v.pair.value} (${v.pair.meaning})`);
    return {
      ...b,
      subtitle: [describeSource(v.pair.source).replace(/^; /, ''), ...notesOf(v).filter((n) => n.startsWith('loss'))],
    };
  });
  return tokenGridFigure(blocks, ROLE_DESCRIPTIONS, title, subtitle);
}
