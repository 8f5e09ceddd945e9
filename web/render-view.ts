// src/view's example views as HTML: cells carry their role as a class and data-role (colours in style.css), the
// legend its counts, pair objectives their provenance, and each attention matrix a table of allowed keys.
import type { AttentionView, Cell, ExampleView, ViewBlock } from '../src/view/index.js';
import type { ShownExample } from './protocol.js';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

function cell(c: Cell): HTMLElement {
  const s = el('span', `tok role-${c.role}`, c.text);
  s.dataset.role = c.role;
  if (c.id !== undefined) s.title = `id ${c.id} · ${c.role}`;
  return s;
}

// Aligned rows as a wrap of columns: position j is one column holding row 0's cell over row 1's.
function columnsBlock(b: Extract<ViewBlock, { kind: 'columns' }>): HTMLElement {
  const box = el('div', 'columns');
  box.dataset.block = 'columns';
  const labels = el('div', 'col labels');
  for (const l of b.labels) labels.append(el('span', 'row-label', l));
  box.append(labels);
  const n = Math.max(...b.rows.map((r) => r.length));
  for (let j = 0; j < n; j++) {
    const col = el('div', 'col');
    col.dataset.position = String(j);
    for (const row of b.rows) col.append(row[j] ? cell(row[j]) : el('span', 'tok'));
    box.append(col);
  }
  return box;
}

function inlineBlock(b: Extract<ViewBlock, { kind: 'inline' }>): HTMLElement {
  const box = el('div', 'inline');
  box.dataset.block = 'inline';
  box.dataset.label = b.label.trim();
  box.append(el('span', 'row-label', b.label.trim()), ...b.cells.map(cell));
  return box;
}

function legendList(view: ExampleView): HTMLElement {
  const ul = el('ul', 'legend');
  ul.setAttribute('aria-label', 'legend');
  for (const e of view.legend) {
    const li = el('li');
    li.dataset.role = e.role;
    li.dataset.count = String(e.count);
    li.append(el('span', `tok role-${e.role}`, e.role), document.createTextNode(` ${e.description} (${e.count})`));
    ul.append(li);
  }
  return ul;
}

function pairBox(view: ExampleView): HTMLElement | null {
  const p = view.pair;
  if (!p) return null;
  const box = el('div', 'pair');
  box.dataset.block = 'pair';
  box.append(el('strong', '', `${p.field} = ${p.value}`), document.createTextNode(` — ${p.meaning}`));
  if (p.source) {
    const ul = el('ul');
    for (const [name, seg] of [
      ['A', p.source.a],
      ['B', p.source.b],
    ] as const) {
      ul.append(
        el(
          'li',
          '',
          `segment ${name}: document ${seg.doc}${seg.doc === 0 ? ' (your text)' : ' (Brown sample)'}, sentences [${seg.start}, ${seg.end})`,
        ),
      );
    }
    box.append(ul);
  }
  return box;
}

const MAX_MATRIX = 96;

function matrixTable(m: AttentionView, tokens: string[]): HTMLElement {
  const wrap = el('div', 'matrix-wrap');
  if (m.size > MAX_MATRIX) {
    wrap.append(el('p', '', `${m.label} attention: ${m.kind}, ${m.size} × ${m.size} (too large to draw here)`));
    return wrap;
  }
  const t = el('table', 'matrix');
  t.dataset.kind = m.kind;
  t.append(el('caption', '', `${m.label} attention (${m.kind}): row = query, column = key; filled = may attend`));
  for (let i = 0; i < m.size; i++) {
    const tr = el('tr');
    tr.append(el('th', '', tokens[i] ?? String(i)));
    for (let j = 0; j < m.size; j++) {
      const td = el('td', m.allowed[i * m.size + j] ? 'on' : 'off');
      tr.append(td);
    }
    t.append(tr);
  }
  t.setAttribute('aria-label', `${m.label} attention matrix, ${m.size} by ${m.size}`);
  wrap.append(t);
  return wrap;
}

/** One example: its blocks, pair, legend, attention matrices and fields JSON. */
export function renderExample(shown: ShownExample, index: number, total: number): HTMLElement {
  const art = el('article', 'example');
  if (total > 1) art.append(el('h3', '', `example ${index + 1} of ${total}`));
  const { view } = shown;
  for (const b of view.blocks)
    art.append(b.kind === 'columns' ? columnsBlock(b) : b.kind === 'inline' ? inlineBlock(b) : el('p', 'note', b.text));
  const pair = pairBox(view);
  if (pair) art.append(pair);
  art.append(legendList(view));
  const fields = JSON.parse(shown.json) as Record<string, unknown>;
  const ids = (key: string) => (Array.isArray(fields[key]) ? (fields[key] as number[]) : []);
  // the tokens the model reads label the matrix rows: the 'input' row of columns, or the inline inputs and targets
  const inputCells = view.blocks.flatMap((b) =>
    b.kind === 'columns' ? [b.rows[Math.max(0, b.labels.indexOf('input'))]] : b.kind === 'inline' ? [b.cells] : [],
  );
  // the decoder reads the targets shifted right by one (its first input is the start token)
  const decoder = [
    '(start)',
    ...(inputCells[1]?.map((c) => c.text).slice(0, ids('decoder_input_ids').length - 1) ?? []),
  ];
  const texts = [inputCells[0]?.map((c) => c.text) ?? [], decoder];
  const details = el('details', 'attention');
  details.append(el('summary', '', 'Attention mask'));
  shown.attention.forEach((m, k) => details.append(matrixTable(m, k === 0 ? texts[0] : texts[1])));
  art.append(details);
  const raw = el('details', 'fields');
  raw.append(el('summary', '', 'Fields (as pretext transform writes them)'), el('pre', 'json', shown.json));
  art.append(raw);
  return art;
}
