// The per-token view of one example, derived from its fields (labels, token_type_ids, decoder_input_ids) and the
// objective's heads, never from objective ids: rows of cells with a role each, notes, the legend counts and the
// pair provenance. `pretext show` paints it in a terminal, the playground as HTML.
import { IGNORE_INDEX, type ModelInput, type PairSource } from '../batch/row.js';
import type { Objective } from '../objectives/objective.js';
import { specialMask, type VocabInfo } from '../tokenize/vocab.js';
import type { Tokenizer } from '../tokenize/index.js';
import { legendOf, type Cell, type LegendEntry, type Role } from './roles.js';

/** Aligned rows (column j of every row is position j), one inline sequence, or a line of text. */
export type ViewBlock =
  | { kind: 'columns'; labels: string[]; rows: Cell[][] }
  | { kind: 'inline'; label: string; cells: Cell[] }
  | { kind: 'note'; text: string };

/** How a pair objective built segments A and B: its label field, value, meaning and where A and B came from. */
export interface PairView {
  field: 'next_sentence_label' | 'sentence_order_label';
  value: number;
  meaning: string;
  source?: PairSource;
}

export interface ExampleView {
  blocks: ViewBlock[];
  legend: LegendEntry[];
  pair?: PairView;
}

/** A token's display text: byte-level 'Ġ' as '▁', newlines as '\n'. */
export function tokenText(tok: Tokenizer, id: number): string {
  const t = tok.idToToken(id) ?? `<${id}>`;
  return t.replace(/^Ġ/, '▁').replace(/Ċ/g, '\\n');
}

interface Ctx {
  tok: Tokenizer;
  vocab: VocabInfo;
  special: Uint8Array;
}

function roleOfSpecial(id: number, c: Ctx): Role {
  if (!c.special[id]) return 'context';
  const v = c.vocab;
  const named = [v.padId, v.unkId, v.clsId, v.sepId, v.maskId, v.bosId, v.eosId];
  return named.includes(id) ? 'special' : 'sentinel';
}

function cellsOf(arr: Int32Array, c: Ctx, roleOf: (id: number, i: number) => Role): Cell[] {
  return Array.from(arr, (id, i) =>
    id === IGNORE_INDEX
      ? { text: '·', role: 'context' as Role }
      : { text: tokenText(c.tok, id), role: roleOf(id, i), id },
  );
}

/** Role of each input position under masking: selected positions (label set) are masked, random or kept. */
export function maskingRoles(ex: ModelInput, vocab: VocabInfo, isSpecial: (id: number) => boolean): Role[] {
  const roles: Role[] = [];
  const { input_ids: ids, labels } = ex;
  for (let i = 0; i < ids.length; i++) {
    const y = labels ? labels[i] : IGNORE_INDEX;
    if (ex.attention_mask && ex.attention_mask[i] === 0) roles.push('pad');
    else if (y !== IGNORE_INDEX) roles.push(ids[i] === vocab.maskId ? 'masked' : ids[i] === y ? 'kept' : 'random');
    else roles.push(isSpecial(ids[i]) ? 'special' : 'context');
  }
  return roles;
}

// Encoder-decoder: corrupted inputs and the targets the decoder must produce.
function seq2seqView(ex: ModelInput, c: Ctx): ExampleView {
  const inputs = cellsOf(ex.input_ids, c, (id) => roleOfSpecial(id, c));
  const targets = cellsOf(ex.labels!, c, (id) =>
    roleOfSpecial(id, c) === 'context' ? 'target' : roleOfSpecial(id, c),
  );
  return {
    blocks: [
      { kind: 'inline', label: 'inputs ', cells: inputs },
      { kind: 'inline', label: 'targets', cells: targets },
      { kind: 'note', text: `${ex.input_ids.length} input tokens, ${ex.labels!.length} target tokens` },
    ],
    legend: legendOf([...inputs, ...targets].map((x) => x.role)),
  };
}

// Causal LM: at position t the model predicts labels[t + 1] (HF shifts inside the model).
function causalView(ex: ModelInput, c: Ctx): ExampleView {
  const ids = ex.input_ids;
  const input = cellsOf(ids, c, (id) => (c.special[id] ? 'special' : 'context'));
  const next: Cell[] = Array.from(ids, (_id, t) => {
    const y = t + 1 < ids.length ? ex.labels![t + 1] : IGNORE_INDEX;
    return y === IGNORE_INDEX ? { text: '·', role: 'context' } : { text: tokenText(c.tok, y), role: 'target', id: y };
  });
  const targets = next.filter((x) => x.role === 'target').length;
  return {
    blocks: [
      { kind: 'columns', labels: ['input', 'predicts'], rows: [input, next] },
      { kind: 'note', text: `loss on ${targets} of ${ids.length} positions: every token is a target` },
    ],
    legend: legendOf(next.map((x) => x.role)),
  };
}

function pairOf(ex: ModelInput): PairView | undefined {
  if (ex.next_sentence_label !== undefined) {
    return {
      field: 'next_sentence_label',
      value: ex.next_sentence_label,
      meaning: ex.next_sentence_label === 0 ? 'IsNext: B continues A' : 'NotNext: B comes from another document',
      source: ex.source,
    };
  }
  if (ex.sentence_order_label !== undefined) {
    return {
      field: 'sentence_order_label',
      value: ex.sentence_order_label,
      meaning: ex.sentence_order_label === 0 ? 'in order' : 'swapped: B came before A',
      source: ex.source,
    };
  }
  return undefined;
}

/** "; A = document 0 sentences [0, 2), B = ..." or '' without a source. */
export function describeSource(s: PairSource | undefined): string {
  if (!s) return '';
  return `; A = document ${s.a.doc} sentences [${s.a.start}, ${s.a.end}), B = document ${s.b.doc} sentences [${s.b.start}, ${s.b.end})`;
}

// Masking (MLM, NSP/SOP pairs, ELECTRA, SimCSE): the original tokens over the input, selected positions by role.
function maskingView(ex: ModelInput, c: Ctx): ExampleView {
  const ids = ex.input_ids;
  const isSpecial = (id: number) => c.special[id] === 1;
  const roles = maskingRoles(ex, c.vocab, isSpecial);
  const original: Cell[] = Array.from(ids, (id, i) => {
    const y = ex.labels ? ex.labels[i] : IGNORE_INDEX;
    const orig = y !== IGNORE_INDEX ? y : id;
    const segB = ex.token_type_ids && ex.token_type_ids[i] === 1 && !isSpecial(orig);
    return {
      text: tokenText(c.tok, orig),
      role: segB ? 'segmentB' : isSpecial(orig) ? 'special' : 'context',
      id: orig,
    };
  });
  const input: Cell[] = Array.from(ids, (id, i) => ({ text: tokenText(c.tok, id), role: roles[i], id }));
  const blocks: ViewBlock[] = [{ kind: 'columns', labels: ['original', 'input'], rows: [original, input] }];
  const note = (text: string) => blocks.push({ kind: 'note', text });
  const selected = roles.filter((r) => r === 'masked' || r === 'random' || r === 'kept').length;
  if (ex.labels) note(`loss on ${selected} of ${ids.length} positions`);
  if (ex.labels && selected === 0)
    note(
      '(no token was selected this time: selection is random per token and may pick none, as in HF; try another --seed or a longer text)',
    );
  const pair = pairOf(ex);
  if (pair) note(`${pair.field} = ${pair.value} (${pair.meaning})${describeSource(pair.source)}`);
  for (const [key, value] of Object.entries(ex)) {
    if (key !== 'input_ids' && key.endsWith('input_ids') && value instanceof Int32Array) {
      blocks.push({
        kind: 'inline',
        label: key.replace(/_input_ids$/, ' view'),
        cells: cellsOf(value, c, (id) => (isSpecial(id) ? 'special' : 'context')),
      });
    }
  }
  if (ex.masked_positions instanceof Int32Array)
    note(`masked_positions = [${Array.from(ex.masked_positions).join(', ')}]`);
  return { blocks, legend: legendOf([...roles, ...original.map((x) => x.role).filter((r) => r === 'segmentB')]), pair };
}

/** The view of one example of objective `o`. */
export function viewExample(
  o: Objective,
  ex: ModelInput,
  tok: Tokenizer,
  vocab: VocabInfo = tok.vocabInfo(),
): ExampleView {
  const c: Ctx = { tok, vocab, special: specialMask(vocab) };
  if (ex.decoder_input_ids && ex.labels) return seq2seqView(ex, c);
  if (o.heads.includes('lm') && ex.labels) return causalView(ex, c);
  return maskingView(ex, c);
}
