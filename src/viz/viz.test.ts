// Every chart kind rendered to SVG: well formed, and holding its data (labels, number of marks, values).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document } from '../corpus/index.js';
import { getObjective } from '../objectives/index.js';
import { loadTokenizer } from '../tokenize/index.js';
import { examplesOf, viewExample } from '../view/index.js';
import { pairsFigure, seedsFigure, seq2seqFigure, strategiesFigure, targetsFigure } from './example-grids.js';
import { attentionFigure, bidirectionalVsCausal, packedPanel, prefixLmPanel } from './attention.js';
import { lossCurvesFigure } from './loss-curves.js';
import { maskSplitFigure, measureMaskSplit } from './mask-split.js';
import { checkProbeResults, probeAccuracyFigure, summarizeProbe, type ProbeResults } from './probe-accuracy.js';
import { renderSvg } from './render.js';
import { bartLengths, spanbertLengths, spanLengthsFigure, t5Lengths } from './span-lengths.js';
import { textWidth } from './text-measure.js';
import { tokenGridFigure } from './token-grid.js';
import { checkElectraScores, detection, electraScoresFigure } from './electra-scores.js';
import { tokenLabeller } from './tokens.js';
import { expectWellFormed, marks, texts } from './svg.case.js';

const tokenizer = (family: string) =>
  loadTokenizer(readFileSync(join(__dirname, '..', '..', 'assets', 'tokenizers', `brown-${family}.json`), 'utf8'));
const bert = tokenizer('bert');
const gpt2 = tokenizer('gpt2');
const t5 = tokenizer('t5');
const encode = (tok: ReturnType<typeof tokenizer>, s: string, specials = false) =>
  tok.encode(s, undefined, { addSpecialTokens: specials }).ids;

describe('attention masks', () => {
  it('bidirectional vs causal: L x L cells each, all attended vs the lower triangle, tokens as axis labels', async () => {
    const ids = encode(bert, 'The cat sat on the mat.');
    const L = ids.length;
    const svg = await renderSvg(
      attentionFigure(bidirectionalVsCausal(ids, tokenLabeller(bert), bert.vocabInfo()), 'masks'),
    );
    expectWellFormed(svg);
    const cells = marks(svg, 'rect mark');
    expect(cells).toHaveLength(2 * L * L);
    const attended = (c: string[]) => c.filter((x) => x.includes('cell: attends')).length;
    expect(attended(cells.slice(0, L * L))).toBe(L * L);
    expect(attended(cells.slice(L * L))).toBe((L * (L + 1)) / 2);
    const t = texts(svg);
    for (const w of ['the', 'cat', 'mat', 'Bidirectional (MLM: BERT)', 'Causal (CLM: GPT-2)', 'not attended'])
      expect(t).toContain(w);
  });

  it('prefix LM: the prefix columns attended by every query, the rest causal', async () => {
    const ids = encode(t5, 'The cat sat on the mat because it was warm.');
    const panel = prefixLmPanel(ids, tokenLabeller(t5), t5.vocabInfo(), 3);
    const P = panel.prefixLength!;
    const L = panel.tokens.length; // the decoder form adds an EOS after the prefix and after the target
    expect(L).toBe(ids.length + 2);
    expect(P).toBeGreaterThanOrEqual(1);
    expect(P).toBeLessThan(L);
    const svg = await renderSvg(attentionFigure([panel], 'prefix'));
    expectWellFormed(svg);
    const cells = marks(svg, 'rect mark');
    expect(cells).toHaveLength(L * L);
    expect(cells.filter((c) => c.includes('cell: attends (prefix')).length).toBe(L * P);
    expect(cells.filter((c) => c.includes('cell: attends;')).length).toBe(((L - P) * (L - P + 1)) / 2);
    expect(texts(svg).join(' ')).toContain(`the first ${P} of ${L} tokens`);
  });

  it('packed documents: block-diagonal causal, one colour per document, EOS after each', async () => {
    const docs = ['The cat sat.', 'It was warm.', 'Dogs bark.'].map((s) => encode(gpt2, s));
    const total = docs.reduce((a, d) => a + d.length + 1, 0);
    const panel = packedPanel(docs, tokenLabeller(gpt2), gpt2.vocabInfo(), total);
    const svg = await renderSvg(attentionFigure([panel], 'packed'));
    expectWellFormed(svg);
    const cells = marks(svg, 'rect mark');
    expect(cells).toHaveLength(total * total);
    docs.forEach((d, k) =>
      expect(cells.filter((c) => c.includes(`cell: document ${k + 1};`)).length).toBe(
        ((d.length + 1) * (d.length + 2)) / 2,
      ),
    );
    expect(texts(svg).filter((t) => t === '<|endoftext|>').length).toBe(2 * docs.length); // x and y axis labels
    expect(texts(svg)).toContain('document 3');
  });
});

describe('the 80/10/10 split', () => {
  const rows = Array.from({ length: 400 }, (_, i) => ({
    input_ids: encode(bert, `Sentence number ${i} is about the cat that sat on the warm mat.`, true),
  }));

  it('counts what the mlm transform did, and the bars hold exactly those shares', async () => {
    const s = measureMaskSplit(rows, {}, bert.vocabInfo(), 0);
    expect(s.masked + s.random + s.kept).toBe(s.selected);
    expect(s.eligible).toBe(s.tokens - 2 * rows.length); // [CLS] and [SEP] are not eligible
    expect(s.selected / s.eligible).toBeGreaterThan(0.12);
    expect(s.selected / s.eligible).toBeLessThan(0.18);
    expect(s.masked / s.selected).toBeGreaterThan(0.74);
    const svg = await renderSvg(maskSplitFigure(s, 'test rows'));
    expectWellFormed(svg);
    const bars = marks(svg, 'bar');
    expect(bars).toHaveLength(3);
    const pct = (n: number) => Math.round((1000 * n) / s.selected) / 10;
    expect(bars[0]).toContain(`measured: ${pct(s.masked)};`);
    expect(bars[1]).toContain(`measured: ${pct(s.random)};`);
    expect(bars[2]).toContain(`measured: ${pct(s.kept)};`);
    const t = texts(svg);
    for (const n of [s.masked, s.random, s.kept]) expect(t).toContain(`${pct(n).toFixed(1)}%`);
    for (const e of ['expected 80%', 'expected 10%', '[MASK]', 'random token', 'kept']) expect(t).toContain(e);
  });

  it('follows the options: maskReplaceProb 1 masks every selected token', () => {
    const s = measureMaskSplit(rows.slice(0, 50), { maskReplaceProb: 1, randomReplaceProb: 0 }, bert.vocabInfo(), 1);
    expect(s.selected).toBeGreaterThan(0);
    expect(s.masked).toBe(s.selected);
  });
});

describe('span lengths', () => {
  it('each sampler matches its distribution and the figure draws one bar per length', async () => {
    const series = [spanbertLengths(20000, 0), t5Lengths(2000, 100, t5.vocabInfo(), 0), bartLengths(20000, 3, 0)];
    for (const s of series) {
      const total = s.counts.reduce((a, b) => a + b, 0);
      expect(s.pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      const tv = s.pmf.reduce((a, p, k) => a + Math.abs(p - s.counts[k] / total), 0) / 2;
      expect(tv, s.title).toBeLessThan(0.03); // total variation distance
    }
    expect(series[1].counts.reduce((a, b) => a + b, 0)).toBe(2000 * 5); // 15 noise tokens in 5 spans per row
    const svg = await renderSvg(spanLengthsFigure(series));
    expectWellFormed(svg);
    expect(marks(svg, 'bar').length).toBe(10 + 10 + 10); // SpanBERT 1..10, T5 1..10(11 < 0.1%), BART 0..9
    for (const t of [
      'SpanBERT: Geometric(0.2), 1..10',
      'T5: 15 noise tokens cut into 5 spans',
      'BART: Poisson(3), 0 = an insertion',
      'measured',
      'theoretical',
    ])
      expect(texts(svg)).toContain(t);
  });

  it('a wrong theory would be caught: T5 lengths are not geometric', () => {
    const s = t5Lengths(500, 100, t5.vocabInfo(), 0);
    const g = spanbertLengths(100, 0).pmf;
    const total = s.counts.reduce((a, b) => a + b, 0);
    const tv = g.reduce((a, p, k) => a + Math.abs(p - (s.counts[k] ?? 0) / total), 0) / 2;
    expect(tv).toBeGreaterThan(0.05);
  });
});

describe('loss curves', () => {
  it('one train line and one validation line per run, from log.jsonl rows', async () => {
    const rows = (k: number) => [
      { step: 1, loss: 9 - k, lr: 1e-3 },
      { step: 2, loss: 8 - k },
      { step: 2, val_loss: 8.5 - k, val_ppl: 100 },
      { step: 3, loss: 7 - k },
      { step: 4, loss: 6.5 - k },
      { step: 4, val_loss: 7 - k },
    ];
    const svg = await renderSvg(
      lossCurvesFigure([
        { name: 'runs/mlm', rows: rows(0) },
        { name: 'runs/clm', rows: rows(1) },
      ]),
    );
    expectWellFormed(svg);
    expect(marks(svg, 'line mark')).toHaveLength(4);
    expect(marks(svg, 'point')).toHaveLength(4); // validation points
    for (const t of ['runs/mlm', 'runs/clm', 'step', 'loss (cross-entropy, nats)']) expect(texts(svg)).toContain(t);
  });

  it('a run without loss rows is a clear error', () => {
    expect(() => lossCurvesFigure([{ name: 'empty', rows: [{ step: 1, lr: 1 }] }])).toThrow(
      /run 'empty' has no rows with a step and a loss/,
    );
  });
});

describe('probe accuracy', () => {
  const input: ProbeResults = {
    task: 'sentiment',
    results: [
      { objective: 'mlm', seed: 0, accuracy: 0.7 },
      { objective: 'mlm', seed: 1, accuracy: 0.72 },
      { objective: 'mlm', seed: 2, accuracy: 0.74 },
      { objective: 'clm', seed: 0, accuracy: 0.6 },
    ],
    baselines: [{ name: 'majority class', accuracy: 0.5 }],
  };

  it('mean and 95% Student-t interval per objective', () => {
    const [mlm, clm] = summarizeProbe(input);
    expect(mlm.mean).toBeCloseTo(0.72, 12);
    expect(mlm.high - mlm.mean).toBeCloseTo((4.303 * 0.02) / Math.sqrt(3), 9); // sd 0.02, t(2) = 4.303
    expect(clm).toMatchObject({ seeds: 1, low: 0.6, high: 0.6 });
  });

  it('draws a point and an interval per objective, a tick per seed, the baselines', async () => {
    const svg = await renderSvg(probeAccuracyFigure(input));
    expectWellFormed(svg);
    expect(marks(svg, 'point')).toHaveLength(2);
    expect(marks(svg, 'tick')).toHaveLength(4);
    const t = texts(svg);
    for (const s of ['mlm', 'clm', 'majority class', '0.720 ± 0.050', '0.600 (1 seed)']) expect(t).toContain(s);
  });

  it('bad shapes name the field', () => {
    expect(() => checkProbeResults([])).toThrow(/expected a JSON object/);
    expect(() => checkProbeResults({ task: 't', results: [] })).toThrow(/'results' must be a non-empty array/);
    expect(() => checkProbeResults({ task: 't', results: [{ objective: 'mlm', seed: 0, accuracy: 1.5 }] })).toThrow(
      /results\[0\].accuracy must be a number in \[0, 1\]/,
    );
  });
});

describe('text widths', () => {
  it('uses DejaVu Sans advances (a space is 0.318 em, bold is wider)', () => {
    expect(textWidth(' ', 10)).toBeCloseTo(3.18, 6);
    expect(textWidth('MLM', 12, true)).toBeGreaterThan(textWidth('MLM', 12));
  });
});

describe('token grids', () => {
  const cells = (words: string[], role = 'context') => words.map((text) => ({ text, role }));

  it('an aligned block: one rect and one text per cell, one row label per row, the roles in the legend', async () => {
    const spec = tokenGridFigure(
      [
        {
          aligned: true,
          rows: [
            { label: 'original', cells: cells(['the', 'cat', 'sat']) },
            { label: 'input', cells: [...cells(['the']), { text: '[MASK]', role: 'masked' }, ...cells(['sat'])] },
          ],
        },
      ],
      { masked: 'selected -> [MASK]', context: 'context' },
      'grid',
    );
    const svg = await renderSvg(spec);
    expectWellFormed(svg);
    expect(marks(svg, 'rect mark')).toHaveLength(6);
    const t = texts(svg);
    for (const s of ['original', 'input', '[MASK]', 'selected -> [MASK]', 'context']) expect(t).toContain(s);
    expect(t.filter((s) => s === 'the')).toHaveLength(2);
  });

  it('wraps a long row so no cell passes 1000 px', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `token${i}`);
    const svg = await renderSvg(
      tokenGridFigure([{ aligned: false, rows: [{ label: 'inputs', cells: cells(long) }] }], {}, 'long'),
    );
    expectWellFormed(svg);
    const xs = marks(svg, 'rect mark');
    expect(xs).toHaveLength(120);
    const rights = [...svg.matchAll(/aria-roledescription="rect mark" d="M([\d.]+),[\d.]+h([\d.]+)/g)].map(
      (m) => Number(m[1]) + Number(m[2]),
    );
    expect(Math.max(...rights)).toBeLessThanOrEqual(1000);
    expect(
      new Set([...svg.matchAll(/aria-roledescription="rect mark" d="M[\d.]+,([\d.]+)/g)].map((m) => m[1])).size,
    ).toBeGreaterThan(3);
  });
});

describe('ELECTRA scores', () => {
  const input = {
    original: ['[CLS]', 'the', 'chef', 'cooked', 'the', 'meal', '[SEP]'],
    corrupted: ['[CLS]', 'the', 'chef', 'ate', 'the', 'soup', '[SEP]'],
    scores: [0.01, 0.02, 0.1, 0.9, 0.6, 0.3, 0.01],
  };

  it('counts detection at 0.5 and draws the replaced tokens and a score per token', async () => {
    expect(detection(input)).toEqual({ replaced: 2, caught: 1, originals: 5, passed: 4 });
    const svg = await renderSvg(electraScoresFigure(input));
    expectWellFormed(svg);
    const t = texts(svg);
    for (const s of [
      'ate',
      'soup',
      'cooked',
      '0.90',
      '0.60',
      'P(replaced)',
      'replaced by the generator',
      'at 0.5: 1 of 2 replaced tokens caught, 4 of 5 originals passed',
    ])
      expect(t).toContain(s);
    expect(marks(svg, 'rect mark')).toHaveLength(3 * 7);
  });

  it('bad shapes name the field', () => {
    expect(() => checkElectraScores({ ...input, scores: [0.5] })).toThrow(/same length \(got 7, 7, 1\)/);
    expect(() => checkElectraScores({ ...input, scores: input.scores.map(() => 2) })).toThrow(
      /'scores' must be an array of numbers in \[0, 1\]/,
    );
  });
});

describe('figures of examples (from the per-token view of show)', () => {
  const views = (id: string, text: string, seed: number, others: Document[] = []) => {
    const objective = getObjective(id)!;
    const tok =
      id === 'clm' ? gpt2 : id === 'span-corruption' ? t5 : id === 'bart-infilling' ? tokenizer('bart') : bert;
    return examplesOf({
      objective,
      text,
      tokenizer: tok,
      options: objective.resolve({}),
      seed,
      epoch: 0,
      otherDocuments: others,
    }).map((ex) => viewExample(objective, ex, tok));
  };
  const sentence = 'The cat sat on the mat because it was warm.';

  it('targets: MLM loss only at the selected tokens, CLM at every next token', async () => {
    const mlm = views('mlm', sentence, 9)[0];
    const clm = views('clm', sentence, 9)[0];
    const svg = await renderSvg(targetsFigure(mlm, clm, 9));
    expectWellFormed(svg);
    const cells = marks(svg, 'rect mark');
    const L = bert.encode(sentence).ids.length;
    const G = gpt2.encode(sentence, undefined, { addSpecialTokens: false }).ids.length;
    expect(cells).toHaveLength(2 * L + 2 * G);
    const targets = cells.filter((c) => c.includes('role: target (loss here)')).length;
    const selected = cells.slice(0, L).filter((c) => /role: selected/.test(c)).length;
    expect(selected).toBeGreaterThan(0);
    expect(targets).toBe(selected + (G - 1));
    expect(texts(svg).join(' ')).toContain(`loss on ${G - 1} of ${G} positions`);
  });

  it('seeds: one row per seed, and different seeds mask differently', async () => {
    const rows = [0, 1, 2, 3, 4, 5].map((seed) => ({ seed, view: views('mlm', sentence, seed)[0] }));
    const svg = await renderSvg(seedsFigure(rows, 0.15));
    expectWellFormed(svg);
    for (const s of ['original', 'seed 0', 'seed 5']) expect(texts(svg)).toContain(s);
    const L = bert.encode(sentence).ids.length;
    const cells = marks(svg, 'rect mark');
    expect(cells).toHaveLength(7 * L);
    const patterns = new Set(
      rows.map((_, k) =>
        cells
          .slice((k + 1) * L, (k + 2) * L)
          .map((c) => c.split('role: ')[1])
          .join('|'),
      ),
    );
    expect(patterns.size).toBeGreaterThan(2);
  });

  it('span corruption: as many sentinels in the inputs as in the targets', async () => {
    const [view] = views(
      'span-corruption',
      'The quick brown fox jumps over the lazy dog and runs far away into the woods.',
      1,
    );
    const svg = await renderSvg(seq2seqFigure(view, 'T5', 'sub'));
    expectWellFormed(svg);
    const sentinels = texts(svg).filter((t) => /^<extra_id_\d+>$/.test(t));
    expect(sentinels.length).toBeGreaterThanOrEqual(2);
    expect(sentinels.length % 2).toBe(0);
    for (const r of ['inputs', 'targets', 'sentinel (one per span)']) expect(texts(svg)).toContain(r);
  });

  it('pairs: the label and the provenance of each example', async () => {
    const others = [{ id: 'x', sentences: ['Another document speaks of ships.', 'They sail at dawn.'], meta: {} }];
    const vs = views('nsp', 'The cat sat on the mat. The mat was very soft. It was a sunny day.', 0, others);
    const svg = await renderSvg(pairsFigure(vs, 'NSP', 'sub'));
    expectWellFormed(svg);
    const t = texts(svg).join(' ');
    expect(t).toMatch(/example 1: next_sentence_label = [01] \((IsNext|NotNext)/);
    expect(t).toMatch(/A = document 0 sentences \[\d, \d\), B = document \d sentences/);
    expect(texts(svg)).toContain('segment B');
  });
});

describe('masking strategies', () => {
  it('whole words, SpanBERT spans and ALBERT n-grams never split a word; every row is drawn', async () => {
    const text =
      'The unbelievably patient astronomer photographed thousands of distant galaxies from a windswept mountaintop observatory.';
    const options = [{}, { wholeWord: true }, { spanMasking: 'spanbert' }, { spanMasking: 'albert-ngram' }];
    for (const seed of [0, 1, 2]) {
      const rows = options.map((o, k) => {
        const objective = getObjective('mlm')!;
        const [ex] = examplesOf({ objective, text, tokenizer: bert, options: objective.resolve(o), seed, epoch: 0 });
        return { label: `strategy ${k}`, view: viewExample(objective, ex, bert) };
      });
      for (const { view } of rows.slice(1)) {
        const block = view.blocks.find((b) => b.kind === 'columns')!;
        if (block.kind !== 'columns') throw new Error('no columns');
        const [original, input] = block.rows;
        const selected = input.map((c) => ['masked', 'random', 'kept'].includes(c.role));
        original.forEach((c, i) => {
          if (c.text.startsWith('##'))
            expect(selected[i], `seed ${seed}: ${c.text} split from its word`).toBe(selected[i - 1]);
        });
      }
      const svg = await renderSvg(strategiesFigure(rows, seed, 0.15));
      expectWellFormed(svg);
      const L = bert.encode(text).ids.length;
      expect(marks(svg, 'rect mark')).toHaveLength(5 * L);
    }
  });
});
