import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX } from '../batch/row.js';
import { getObjective, objectives } from '../objectives/index.js';
import { loadTokenizer, type Tokenizer } from '../tokenize/index.js';
import { attentionViews, examplesOf, familyOf, tokenizerFileOf, viewExample, type Cell } from './index.js';

const tokenizers = new Map<string, Tokenizer>();
function tokenizerFor(id: string): Tokenizer {
  const name = familyOf(getObjective(id)!.id).name;
  if (!tokenizers.has(name))
    tokenizers.set(
      name,
      loadTokenizer(readFileSync(join(__dirname, '../../assets/tokenizers', tokenizerFileOf(name)), 'utf8')),
    );
  return tokenizers.get(name)!;
}

const TEXT = 'The cat sat on the mat. It purred softly. Then it fell asleep in the sun. The dog barked at the door.';
const OTHERS = [
  {
    id: 'other',
    sentences: ['A second document starts here.', 'It has a few sentences.', 'Enough to draw from.'],
    meta: {},
  },
];

function run(id: string, seed: number, options: Record<string, unknown> = {}) {
  const objective = getObjective(id)!;
  const tokenizer = tokenizerFor(id);
  return {
    objective,
    tokenizer,
    examples: examplesOf({
      objective,
      text: TEXT,
      tokenizer,
      options: objective.resolve(options),
      seed,
      epoch: 0,
      otherDocuments: OTHERS,
    }),
  };
}

describe('viewExample', () => {
  it.each(objectives.map((o) => o.id))(
    '%s: the legend counts every cell role the blocks show, and at least one row',
    (id) => {
      const { objective, tokenizer, examples } = run(id, 3);
      for (const ex of examples) {
        const view = viewExample(objective, ex, tokenizer);
        const cells = view.blocks.flatMap((b): Cell[] =>
          b.kind === 'columns' ? b.rows.flat() : b.kind === 'inline' ? b.cells : [],
        );
        expect(cells.length).toBeGreaterThan(0);
        for (const entry of view.legend) expect(entry.count).toBeGreaterThan(0);
        const shown = new Set(cells.map((c) => c.role));
        for (const entry of view.legend) expect(shown.has(entry.role)).toBe(true);
      }
    },
  );

  it('mlm: the selected positions are exactly the labelled ones, and masked cells show [MASK]', () => {
    const { objective, tokenizer, examples } = run('mlm', 5, { maskProb: 0.4 });
    const [ex] = examples;
    const view = viewExample(objective, ex, tokenizer);
    const block = view.blocks[0];
    expect(block.kind).toBe('columns');
    const input = block.kind === 'columns' ? block.rows[1] : [];
    const selected = input
      .map((c, i) => (['masked', 'random', 'kept'].includes(c.role) ? i : -1))
      .filter((i) => i >= 0);
    const labelled = Array.from(ex.labels!)
      .map((y, i) => (y !== IGNORE_INDEX ? i : -1))
      .filter((i) => i >= 0);
    expect(selected).toEqual(labelled);
    expect(labelled.length).toBeGreaterThan(0);
    for (const c of input) if (c.role === 'masked') expect(c.text).toBe('[MASK]');
    const counted = view.legend
      .filter((e) => ['masked', 'random', 'kept'].includes(e.role))
      .reduce((s, e) => s + e.count, 0);
    expect(counted).toBe(labelled.length);
  });

  it('nsp: the pair view carries the label and the provenance of A and B', () => {
    const { objective, tokenizer, examples } = run('nsp', 1);
    const view = viewExample(objective, examples[0], tokenizer);
    expect(view.pair?.field).toBe('next_sentence_label');
    expect(view.pair?.value).toBe(examples[0].next_sentence_label);
    expect(view.pair?.source?.a.doc).toBe(0);
  });

  it('span-corruption: targets begin with a sentinel that also appears in the inputs', () => {
    const { objective, tokenizer, examples } = run('span-corruption', 5);
    const view = viewExample(objective, examples[0], tokenizer);
    const [inputs, targets] = view.blocks
      .filter((b) => b.kind === 'inline')
      .map((b) => (b.kind === 'inline' ? b.cells : []));
    expect(targets[0].role).toBe('sentinel');
    expect(inputs.some((c) => c.role === 'sentinel' && c.text === targets[0].text)).toBe(true);
  });
});

describe('attentionViews', () => {
  it('clm is causal (lower triangle), mlm sees every key', () => {
    for (const [id, causal] of [
      ['clm', true],
      ['mlm', false],
    ] as const) {
      const { objective, examples } = run(id, 0);
      const [m] = attentionViews(objective, examples[0]);
      const L = m.size;
      for (let i = 0; i < L; i++)
        for (let j = 0; j < L; j++) expect(m.allowed[i * L + j]).toBe(causal && j > i ? 0 : 1);
    }
  });

  it('prefix-lm in decoder format: the prefix is visible to every query, the rest causal', () => {
    const { objective, examples } = run('prefix-lm', 2, { format: 'decoder' });
    const ex = examples[0];
    const P = ex.prefix_length as number;
    const [m] = attentionViews(objective, ex);
    const L = m.size;
    expect(m.kind).toBe('prefix');
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) expect(m.allowed[i * L + j]).toBe(j < P || j <= i ? 1 : 0);
  });

  it('encoder-decoder examples get an encoder and a causal decoder matrix', () => {
    const { objective, examples } = run('span-corruption', 1);
    const views = attentionViews(objective, examples[0]);
    expect(views.map((v) => [v.label, v.kind])).toEqual([
      ['encoder', 'bidirectional'],
      ['decoder', 'causal'],
    ]);
    expect(views[1].size).toBe(examples[0].decoder_input_ids!.length);
  });
});
