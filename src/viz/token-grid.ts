// Token grids: rows of token cells coloured by role (the per-token view of src/view), laid out in pixels with each
// cell as wide as its text, wrapped to a maximum width. Aligned blocks keep column j of every row at position j.
import type { TopLevelSpec } from 'vega-lite';
import { ensure } from '../errors.js';
import { textWidth } from './text-measure.js';
import { config, FONT, ROLE_FILL, ROLE_TEXT } from './theme.js';

/** One token: its text and role (src/view's Cell fits); `score` in [0, 1] draws a score cell instead of a role. */
export interface GridCell {
  text: string;
  role: string;
  score?: number;
}

export interface GridRow {
  label: string;
  cells: GridCell[];
}

/** Rows shown together; `aligned`: position j of every row in one column (inputs over labels), else each row inline. */
export interface GridBlock {
  title?: string;
  subtitle?: string | string[];
  rows: GridRow[];
  aligned: boolean;
}

/** What the legend says for each role shown (src/view's ROLE_DESCRIPTIONS). */
export type RoleNames = Record<string, string>;

const FONT_PX = 12;
const CELL_H = 24;
const ROW_GAP = 4;
const WRAP_GAP = 14;
const PAD_X = 10;
const MAX_WIDTH = 1000;

const cellWidth = (c: GridCell) => Math.max(22, Math.ceil(textWidth(c.text, FONT_PX)) + PAD_X);

interface Placed {
  x: number;
  x2: number;
  y: number;
  text: string;
  role: string;
  score?: number;
}

/** [start, end) ranges of cells whose widths fit `room` each (a cell wider than the room gets a line of its own). */
function wrapRanges(widths: number[], room: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let w = 0;
  widths.forEach((cw, j) => {
    if (j > start && w + cw > room) {
      out.push([start, j]);
      start = j;
      w = 0;
    }
    w += cw;
  });
  out.push([start, widths.length]);
  return out;
}

/** Pixel layout of a block: cells and row labels, wrapped so no line passes MAX_WIDTH. */
function layout(block: GridBlock): {
  cells: Placed[];
  labels: { x: number; y: number; text: string }[];
  width: number;
  height: number;
} {
  const labelW = Math.ceil(Math.max(...block.rows.map((r) => textWidth(r.label, FONT_PX)))) + 14;
  const cells: Placed[] = [];
  const labels: { x: number; y: number; text: string }[] = [];
  let y = 0;
  let width = 0;
  const place = (row: GridRow, from: number, to: number, widths: number[], showLabel: boolean) => {
    let x = labelW;
    if (showLabel) labels.push({ x: labelW - 8, y: y + CELL_H / 2, text: row.label });
    for (let j = from; j < to; j++) {
      const c = row.cells[j];
      if (c) cells.push({ x, x2: x + widths[j] - 2, y, text: c.text, role: c.role, score: c.score });
      x += widths[j];
    }
    width = Math.max(width, x);
    y += CELL_H + ROW_GAP;
  };
  const chunks = (widths: number[]) => wrapRanges(widths, MAX_WIDTH - labelW);
  if (block.aligned) {
    const n = Math.max(...block.rows.map((r) => r.cells.length));
    const widths = Array.from({ length: n }, (_, j) =>
      Math.max(...block.rows.map((r) => (r.cells[j] ? cellWidth(r.cells[j]) : 0))),
    );
    chunks(widths).forEach(([a, b], k) => {
      if (k > 0) y += WRAP_GAP;
      for (const row of block.rows) place(row, a, b, widths, true);
    });
  } else {
    block.rows.forEach((row, r) => {
      if (r > 0) y += WRAP_GAP / 2;
      const widths = row.cells.map(cellWidth);
      chunks(widths).forEach(([a, b], k) => place(row, a, b, widths, k === 0));
    });
  }
  return { cells, labels, width, height: y - ROW_GAP };
}

const px = (field: string) => ({ field, type: 'quantitative', scale: null, axis: null });
const box = [{ calculate: `datum.y + ${CELL_H}`, as: 'y2' }];
const centre = [
  { calculate: '(datum.x + datum.x2) / 2', as: 'xc' },
  { calculate: `datum.y + ${CELL_H / 2}`, as: 'yc' },
];
const rect = (values: object[], fill: object) => ({
  data: { values },
  transform: box,
  mark: { type: 'rect', cornerRadius: 3 },
  encoding: { x: px('x'), x2: { field: 'x2' }, y: px('y'), y2: { field: 'y2' }, ...fill },
});
const label = (values: object[], fontSize: number) => ({
  data: { values },
  transform: centre,
  mark: { type: 'text', font: FONT, fontSize, baseline: 'middle' },
  encoding: {
    x: px('xc'),
    y: px('yc'),
    text: { field: 'text' },
    color: { field: 'ink', type: 'nominal', scale: null },
  },
});

/** Role cells (coloured by role, named in the legend) and score cells (a red scale), each with its text. */
function cellLayers(cells: Placed[], domain: string[], names: RoleNames): object[] {
  const roleCells = cells
    .filter((c) => c.score === undefined)
    .map((c) => ({ ...c, ink: ROLE_TEXT[c.role] ?? '#222', name: names[c.role] ?? c.role }));
  const colour = {
    field: 'name',
    type: 'nominal',
    scale: { domain: domain.map((r) => names[r] ?? r), range: domain.map((r) => ROLE_FILL[r] ?? '#ddd') },
    legend: { title: null, labelLimit: 320 },
  };
  const layers = [
    rect(roleCells, {
      color: colour,
      tooltip: [
        { field: 'text', title: 'token' },
        { field: 'name', title: 'role' },
      ],
    }),
    label(roleCells, FONT_PX),
  ];
  const scoreCells = cells
    .filter((c) => c.score !== undefined)
    .map((c) => ({ ...c, ink: c.score! > 0.6 ? 'white' : '#222' }));
  if (scoreCells.length === 0) return layers;
  const fill = {
    field: 'score',
    type: 'quantitative',
    title: 'discriminator P(replaced)',
    scale: { domain: [0, 1], scheme: 'reds' },
    legend: { orient: 'bottom', direction: 'horizontal', gradientLength: 200 },
  };
  return [...layers, rect(scoreCells, { fill }), label(scoreCells, 11)];
}

function blockSpec(block: GridBlock, domain: string[], names: RoleNames): object {
  ensure(block.rows.length > 0, 'token grid: a block without rows');
  const { cells, labels, width, height } = layout(block);
  const rowLabels = {
    data: { values: labels },
    mark: { type: 'text', align: 'right', baseline: 'middle', fontSize: FONT_PX, fontWeight: 'bold', color: '#333' },
    encoding: { x: px('x'), y: px('y'), text: { field: 'text' } },
  };
  const title = block.title
    ? {
        title: {
          text: block.title,
          ...(block.subtitle ? { subtitle: block.subtitle } : {}),
          fontSize: 13,
          subtitleFontSize: 11,
        },
      }
    : {};
  return { ...title, width, height, layer: [...cellLayers(cells, domain, names), rowLabels] };
}

/** Blocks stacked vertically under one title; one legend for the roles shown. */
export function tokenGridFigure(
  blocks: GridBlock[],
  names: RoleNames,
  title: string,
  subtitle?: string | string[],
): TopLevelSpec {
  ensure(blocks.length > 0, 'token grid: no block');
  const order = Object.keys(ROLE_FILL);
  const present = new Set(
    blocks.flatMap((b) => b.rows.flatMap((r) => r.cells.filter((c) => c.score === undefined).map((c) => c.role))),
  );
  const domain = order.filter((r) => present.has(r)).concat([...present].filter((r) => !order.includes(r)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: subtitle ? { text: title, subtitle } : title,
    config: { ...config, legend: { ...config.legend, columns: 3 } },
    vconcat: blocks.map((b) => blockSpec(b, domain, names)),
    spacing: 22,
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}
