// Attention masks as heatmaps (query rows x key columns) of rows the real transforms produce, as src/view derives
// them from the fields: bidirectional (MLM) vs causal (CLM), prefix LM (prefix_length), packed documents (CLM).
import type { TopLevelSpec } from 'vega-lite';
import { ensure } from '../errors.js';
import type { ModelInput } from '../batch/row.js';
import type { Objective } from '../objectives/objective.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { clmObjective } from '../objectives/clm/index.js';
import { mlmObjective } from '../objectives/mlm/index.js';
import { prefixLmObjective } from '../objectives/prefix-lm/index.js';
import { attentionViews } from '../view/index.js';
import { config, SERIES } from './theme.js';
import { labelExpr, type TokenLabel } from './tokens.js';

export interface AttentionPanel {
  title: string;
  tokens: string[];
  /** [L, L] row-major: mask[i * L + j] = 1 when query i attends key j */
  mask: Uint8Array;
  /** per position: the document segment (packed rows); allowed cells are coloured by the key's document */
  documents?: ArrayLike<number>;
  /** keys [0, prefixLength) form the bidirectional prefix */
  prefixLength?: number;
}

const BLOCKED = 'not attended';
const ATTENDS = 'attends';
const PREFIX = 'attends (prefix, both directions)';
const cellPx = (L: number) => Math.max(12, Math.min(24, Math.floor(480 / L)));

/** The [L, L] self-attention mask src/view derives for an example of `o`. */
function selfMask(o: Objective, ex: ModelInput): Uint8Array {
  const [view] = attentionViews(o, ex);
  ensure(
    view.label === 'self',
    `attention figure: ${o.id} rows have an encoder and a decoder; draw them with a self-attention objective`,
  );
  return view.allowed;
}

function cellOf(p: AttentionPanel, i: number, j: number, L: number): string {
  if (!p.mask[i * L + j]) return BLOCKED;
  if (p.documents) return `document ${p.documents[j] + 1}`;
  return p.prefixLength !== undefined && j < p.prefixLength ? PREFIX : ATTENDS;
}

function panelSpec(p: AttentionPanel, domain: string[], range: string[]): object {
  const L = p.tokens.length;
  ensure(
    p.mask.length === L * L,
    `attention panel '${p.title}': mask has ${p.mask.length} cells, expected ${L} x ${L}`,
  );
  const values = [];
  for (let i = 0; i < L; i++)
    for (let j = 0; j < L; j++)
      values.push({ query: i, key: j, cell: cellOf(p, i, j, L), q: p.tokens[i], k: p.tokens[j] });
  const px = cellPx(L);
  const axis = { labelExpr: labelExpr(p.tokens), labelFontSize: px >= 16 ? 11 : 9, ticks: false, domain: false };
  return {
    ...(p.title ? { title: { text: p.title, fontSize: 13 } } : {}),
    width: L * px,
    height: L * px,
    data: { values },
    mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
    encoding: {
      x: {
        field: 'key',
        type: 'ordinal',
        title: 'key (token attended to)',
        axis: { ...axis, orient: 'top', labelAngle: -60, labelAlign: 'left' },
      },
      y: { field: 'query', type: 'ordinal', title: 'query (token attending)', axis },
      color: {
        field: 'cell',
        type: 'nominal',
        scale: { domain, range },
        legend: { title: null, labelLimit: 300, columns: 5 },
      },
      tooltip: [{ field: 'q', title: 'query' }, { field: 'k', title: 'key' }, { field: 'cell' }],
    },
  };
}

/** Panels side by side, sharing one colour legend (only the categories that occur). One panel: its title is the subtitle. */
export function attentionFigure(panels: AttentionPanel[], title: string, subtitle?: string): TopLevelSpec {
  ensure(panels.length > 0, 'attention figure: no panel');
  const colours = new Map<string, string>([
    [ATTENDS, '#4e79a7'],
    [PREFIX, '#f28e2b'],
  ]);
  const maxDocs = Math.max(0, ...panels.map((p) => (p.documents ? Math.max(...Array.from(p.documents)) + 1 : 0)));
  for (let d = 0; d < maxDocs; d++) colours.set(`document ${d + 1}`, SERIES[(d + 1) % SERIES.length]);
  colours.set(BLOCKED, '#eef0f3');
  const present = new Set(
    panels.flatMap((p) =>
      Array.from({ length: p.tokens.length ** 2 }, (_, c) =>
        cellOf(p, Math.floor(c / p.tokens.length), c % p.tokens.length, p.tokens.length),
      ),
    ),
  );
  const domain = [...colours.keys()].filter((c) => present.has(c));
  const range = domain.map((c) => colours.get(c)!);
  const single = panels.length === 1;
  const sub = single ? [panels[0].title, ...(subtitle ? [subtitle] : [])] : subtitle;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: sub ? { text: title, subtitle: sub } : title,
    config,
    hconcat: panels.map((p) => panelSpec(single ? { ...p, title: '' } : p, domain, range)),
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

const once = (o: Objective, ids: Int32Array, opts: object, vocab: VocabInfo, seed = 0): ModelInput => {
  const [ex] = [
    ...(o as Objective<object>).transform([{ input_ids: ids }] as never, o.resolve(opts), { seed, epoch: 0, vocab }),
  ];
  return ex;
};

/** Bidirectional (an MLM row) and causal (a CLM row) on the same tokens. */
export function bidirectionalVsCausal(ids: Int32Array, label: TokenLabel, vocab: VocabInfo): AttentionPanel[] {
  const tokens = Array.from(ids, label);
  return [
    { title: 'Bidirectional (MLM: BERT)', tokens, mask: selfMask(mlmObjective, once(mlmObjective, ids, {}, vocab)) },
    { title: 'Causal (CLM: GPT-2)', tokens, mask: selfMask(clmObjective, once(clmObjective, ids, {}, vocab)) },
  ];
}

/** The prefix-lm transform's split of the row (seeded), in its decoder-only form (seqio: prefix EOS target EOS). */
export function prefixLmPanel(ids: Int32Array, label: TokenLabel, vocab: VocabInfo, seed: number): AttentionPanel {
  const ex = once(prefixLmObjective, ids, { format: 'decoder' }, vocab, seed);
  const P = ex.prefix_length as number;
  const L = ex.input_ids.length;
  return {
    title: `Prefix LM: the first ${P} of ${L} tokens are the prefix`,
    tokens: Array.from(ex.input_ids, label),
    mask: selfMask(prefixLmObjective, ex),
    prefixLength: P,
  };
}

/** The first row the clm transform packs from `docs` (one EOS each, document_ids), with block-diagonal causal attention. */
export function packedPanel(
  docs: Int32Array[],
  label: TokenLabel,
  vocab: VocabInfo,
  blockSize: number,
): AttentionPanel {
  ensure(docs.length >= 2, 'packed attention needs at least two documents (sentences) to pack');
  const opts = clmObjective.resolve({ pack: true, blockSize, remainder: 'pad', documentAttention: true });
  const [row] = [
    ...clmObjective.transform(
      docs.map((d) => ({ input_ids: d })),
      opts,
      { seed: 0, epoch: 0, vocab },
    ),
  ];
  const L = Array.from(row.attention_mask!).filter((m) => m === 1).length;
  const cut = (a: Int32Array) => a.subarray(0, L);
  const trimmed: ModelInput = {
    input_ids: cut(row.input_ids),
    attention_mask: row.attention_mask!.subarray(0, L),
    document_ids: cut(row.document_ids!),
  };
  const nDocs = new Set(trimmed.document_ids).size;
  return {
    title: `Packed row: ${nDocs} documents in ${L} tokens`,
    tokens: Array.from(trimmed.input_ids, label),
    mask: selfMask(clmObjective, trimmed),
    documents: trimmed.document_ids,
  };
}
