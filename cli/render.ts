// Terminal painting of a view (src/view): aligned token columns, colour per token role, wrapped to the terminal width.
import type { Cell, ExampleView, LegendEntry, Role } from '../src/view/index.js';

const STYLES: Record<Role, [string, string]> = {
  context: ['', ''],
  masked: ['\x1b[30;43m', '\x1b[0m'], // black on yellow
  random: ['\x1b[97;45m', '\x1b[0m'], // white on magenta
  kept: ['\x1b[30;42m', '\x1b[0m'], // black on green
  special: ['\x1b[2m', '\x1b[0m'], // dim
  sentinel: ['\x1b[1;36m', '\x1b[0m'], // bold cyan
  target: ['\x1b[1;34m', '\x1b[0m'], // bold blue
  segmentB: ['\x1b[4m', '\x1b[0m'], // underlined
  pad: ['\x1b[2m', '\x1b[0m'],
};

export interface Painter {
  paint(text: string, role: Role): string;
}

export function painter(colour: boolean): Painter {
  return { paint: (text, role) => (colour && STYLES[role][0] ? STYLES[role][0] + text + STYLES[role][1] : text) };
}

/** Visible width of a string: code points, ignoring ANSI escapes (wide CJK counted as 2). */
export function width(s: string): number {
  let w = 0;
  for (const ch of s.replace(/\x1b\[[0-9;]*m/g, '')) {
    const cp = ch.codePointAt(0)!;
    w +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0x1f300 && cp <= 0x1faff))
        ? 2
        : 1;
  }
  return w;
}

/** Rows of cells printed as aligned columns, wrapped into blocks that fit `maxWidth`. */
export function columns(labels: string[], rows: Cell[][], p: Painter, maxWidth: number): string {
  const n = Math.max(...rows.map((r) => r.length));
  const colW = Array.from({ length: n }, (_, j) => Math.max(1, ...rows.map((r) => (r[j] ? width(r[j].text) : 0))));
  const labelW = Math.max(...labels.map((l) => l.length)) + 2;
  const out: string[] = [];
  let start = 0;
  while (start < n) {
    let end = start;
    let w = labelW;
    while (end < n && (end === start || w + colW[end] + 1 <= maxWidth)) w += colW[end++] + 1;
    for (let r = 0; r < rows.length; r++) {
      let line = labels[r].padEnd(labelW);
      for (let j = start; j < end; j++) {
        const cell = rows[r][j];
        const text = cell ? cell.text : '';
        line += (cell ? p.paint(text, cell.role) : '') + ' '.repeat(colW[j] - width(text) + 1);
      }
      out.push(line.trimEnd());
    }
    start = end;
    if (start < n) out.push('');
  }
  return out.join('\n');
}

/** A sequence of cells printed inline (token strings separated by spaces), wrapped at maxWidth. */
export function inline(label: string, cells: Cell[], p: Painter, maxWidth: number): string {
  const pad = ' '.repeat(label.length + 2);
  const lines: string[] = [];
  let line = label.padEnd(label.length + 2);
  let w = line.length;
  for (const c of cells) {
    const cw = width(c.text) + 1;
    if (w + cw > maxWidth && w > pad.length) {
      lines.push(line.trimEnd());
      line = pad;
      w = pad.length;
    }
    line += p.paint(c.text, c.role) + ' ';
    w += cw;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** "role description (count)" entries for the roles present, as a legend line. */
export function legend(entries: readonly LegendEntry[], p: Painter): string {
  return entries.map((e) => `${p.paint(' ' + e.role + ' ', e.role)} ${e.description} (${e.count})`).join('  ');
}

/** A whole example view as terminal lines. */
export function paintView(view: ExampleView, p: Painter, maxWidth: number): string {
  const out = view.blocks.map((b) =>
    b.kind === 'columns'
      ? columns(b.labels, b.rows, p, maxWidth)
      : b.kind === 'inline'
        ? inline(b.label, b.cells, p, maxWidth)
        : b.text,
  );
  out.push(legend(view.legend, p));
  return out.join('\n');
}
