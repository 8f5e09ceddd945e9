// pretext eval on tiny runs trained by the CLI: every task's JSON, the text table, and one-line errors (exit 2).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, corpusDir, smallFlags } from '../train-cli.case.js';

let dir: string;
let mlm: string;
let clm: string;
beforeAll(async () => {
  let corpus: string;
  ({ dir, corpus } = await corpusDir());
  mlm = join(dir, 'mlm');
  clm = join(dir, 'clm');
  for (const [objective, out] of [
    ['mlm', mlm],
    ['clm', clm],
  ] as const) {
    const r = cli(['train', ...smallFlags(corpus, objective), '--steps', '20', '--eval-every', '0', '--out', out]);
    if (r.status !== 0) throw new Error(r.stderr);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evalJson = (run: string, task: string, ...extra: string[]) => {
  const r = cli(['eval', '--run', run, '--task', task, '--json', ...extra]);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

describe('pretext eval', () => {
  it('fill-mask: accuracy over the masked held-out tokens, settings and the run recorded', () => {
    const out = evalJson(mlm, 'fill-mask', '--max-tokens', '400');
    expect(out.task).toBe('fill-mask');
    expect(out.model).toEqual({ type: 'bert', architecture: 'BertForMaskedLM' });
    expect(out.trainedWith).toMatchObject({ objective: 'mlm', splitSeed: 0, validationFraction: 0.1 });
    expect(out.settings).toEqual({ maskProb: 0.3, seed: 0, maxTokens: 400 }); // the run's own rate (tiny's BERT recipe)
    const r = out.results;
    expect(r.tokens).toBeLessThanOrEqual(400);
    expect(r.masked).toBeGreaterThan(20);
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    // the targets split by what the model saw there (80/10/10) and add up to the whole
    const kinds = [r.byInput.mask, r.byInput.random, r.byInput.kept];
    expect(kinds.reduce((n, k) => n + k.count, 0)).toBe(r.masked);
    expect(r.byInput.mask.count).toBeGreaterThan(r.byInput.kept.count);
    expect(kinds.reduce((n, k) => n + k.accuracy * k.count, 0) / r.masked).toBeCloseTo(r.accuracy, 12);
    expect(r.topMaskPrediction.share).toBeGreaterThan(0);
    expect(r.topMaskPrediction.share).toBeLessThanOrEqual(1);
    expect(evalJson(mlm, 'fill-mask', '--max-tokens', '400')).toEqual(out);
  });

  it('pseudo-perplexity scores every token once; perplexity on the clm run', () => {
    const p = evalJson(mlm, 'pseudo-perplexity', '--max-tokens', '60').results;
    expect(p.tokens).toBe(60);
    expect(p.pseudoPerplexity).toBeCloseTo(Math.exp(p.meanNll), 9);
    expect(p.pseudoPerplexity).toBeGreaterThan(1);
    const q = evalJson(clm, 'perplexity', '--max-tokens', '300').results;
    expect(q.predicted).toBe(q.tokens - q.windows);
    expect(q.perplexity).toBeCloseTo(Math.exp(q.loss), 9);
  });

  it('probe-genre: 15 genres, the split by document, probe beside majority and bag of words', () => {
    const out = evalJson(mlm, 'probe-genre', '--chunks-per-doc', '1', '--c', '1');
    expect(out.settings).toEqual({
      pooling: 'mean',
      seed: 0,
      testFraction: 0.2,
      C: 1,
      chunkTokens: 30,
      chunksPerDoc: 1,
    });
    const r = out.results;
    expect(r.classes).toHaveLength(15);
    expect(r.split).toEqual({
      seed: 0,
      testFraction: 0.2,
      trainItems: 400,
      testItems: 100,
      trainGroups: 400,
      testGroups: 100,
    });
    expect(Object.keys(r.baselines)).toEqual(['majority', 'bagOfWords']);
    for (const s of [r.probe, r.baselines.majority, r.baselines.bagOfWords])
      expect(s.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.baselines.majority.accuracy).toBeLessThan(0.25);
  });

  it('probe-sentiment (last-token pooling on the clm run) adds the lexicon baseline; the text table', () => {
    const r = cli(['eval', '--run', clm, '--task', 'probe-sentiment', '--pooling', 'last']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^probe-sentiment on .*checkpoint-20 \(GPT2LMHeadModel\)\n/);
    expect(r.stdout).toMatch(
      /\nprobe +0\.\d{4} +0\.\d{4} +\S+ .*\nmajority .*\nbagOfWords .*\nlexicon +0\.\d{4} +0\.\d{4} +AFINN/,
    );
    expect(r.stdout).toContain('split: seed 0, ');
    expect(r.stderr).toContain('probe-sentiment [####################] 3000/3000 sentences');
  });
});

describe('pretext eval errors: one line, exit 2', () => {
  it.each([
    [['eval', '--task', 'fill-mask'], 'pretext: --run is required (a folder written by pretext train)'],
    [
      ['eval', '--run', 'MLM'],
      'pretext: --task is required (probe-genre, probe-sentiment, fill-mask, pseudo-perplexity, perplexity, pair, sentence-pairs, span-accuracy, rtd)',
    ],
    [
      ['eval', '--run', 'MLM', '--task', 'bleu'],
      "pretext: --task must be one of probe-genre, probe-sentiment, fill-mask, pseudo-perplexity, perplexity, pair, sentence-pairs, span-accuracy, rtd, got 'bleu'",
    ],
    [
      ['eval', '--run', 'MLM', '--task', 'perplexity'],
      'pretext: perplexity needs a model with the lm head; this run is a BertForMaskedLM (heads: encoder, mlm)',
    ],
    [
      ['eval', '--run', 'CLM', '--task', 'fill-mask'],
      'pretext: fill-mask needs a model with the mlm head; this run is a GPT2LMHeadModel (heads: encoder, lm)',
    ],
    [
      ['eval', '--run', 'MLM', '--task', 'pair'],
      'pretext: pair needs a model with the pair head; this run is a BertForMaskedLM (heads: encoder, mlm)',
    ],
    [
      ['eval', '--run', 'CLM', '--task', 'probe-genre', '--pooling', 'cls'],
      'pretext: --pooling cls does not apply to this model (mean, last)',
    ],
    [
      ['eval', '--run', 'MLM', '--task', 'probe-genre', '--test-fraction', '1'],
      'pretext: --test-fraction must be in (0, 1), got 1',
    ],
    [
      ['eval', '--run', 'MLM', '--task', 'probe-genre', '--chunk-tokens', '31'],
      'pretext: chunk tokens must be in [1, 30] for this model, got 31',
    ],
    [
      ['eval', '--run', 'MLM', '--task', 'fill-mask', '--mask-prob', '0'],
      'pretext: --mask-prob must be in (0, 1], got 0',
    ],
    [
      ['eval', '--run', 'EMPTY', '--task', 'fill-mask'],
      'pretext: EMPTY has no checkpoint yet (training saves one every --save-every steps and at the end)',
    ],
  ])('%j', (args, message) => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const sub = (s: string) => s.replace('MLM', mlm).replace('CLM', clm).replace('EMPTY', empty);
    const r = cli(args.map(sub));
    expect(r.stderr).toBe(`${sub(message)}\n`);
    expect(r.status).toBe(2);
  });
});
