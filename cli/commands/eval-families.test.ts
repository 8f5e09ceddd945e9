// pretext eval on tiny ELECTRA, span-corruption (T5) and SimCSE runs: rtd on the pair as trained, fill-mask on
// ELECTRA's generator, probes on its discriminator and on T5's encoder, span accuracy on the run's own held-out rows,
// sentence pairs on SimCSE's vectors and on a mean-pooled encoder; a task no part of the run has a head for is refused.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, corpusDir, smallFlags } from '../train-cli.case.js';

let dir: string;
const runs: Record<string, string> = {};
beforeAll(async () => {
  let corpus: string;
  ({ dir, corpus } = await corpusDir());
  for (const objective of ['electra', 'span-corruption', 'simcse']) {
    runs[objective] = join(dir, objective);
    const r = cli([
      'train',
      ...smallFlags(corpus, objective),
      '--steps',
      '8',
      '--eval-every',
      '0',
      '--out',
      runs[objective],
    ]);
    if (r.status !== 0) throw new Error(r.stderr);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evalJson = (run: string, task: string, ...extra: string[]) => {
  const r = cli(['eval', '--run', run, '--task', task, '--json', ...extra]);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

describe('pretext eval on every family', () => {
  it('rtd: the ELECTRA pair on held-out rows; its AUC, accuracy beside the all-original baseline; repeatable', () => {
    const out = evalJson(runs.electra, 'rtd', '--max-tokens', '600');
    expect(out.model).toEqual({ type: 'electra', architecture: 'ElectraForPreTraining' });
    const r = out.results;
    expect(r.rows * 32).toBeGreaterThanOrEqual(600); // batches of 8 rows of 32 until 600 positions
    expect(r.auc).toBeGreaterThanOrEqual(0);
    expect(r.auc).toBeLessThanOrEqual(1);
    expect(r.replaced).toBeGreaterThan(0);
    expect(r.majority).toBeCloseTo(1 - r.replaced, 12);
    expect(r.tokens).toBeGreaterThan(r.rows);
    expect(evalJson(runs.electra, 'rtd', '--max-tokens', '600').results).toEqual(r);
  });

  it("fill-mask runs on ELECTRA's generator, the probes on its discriminator", () => {
    expect(evalJson(runs.electra, 'fill-mask', '--max-tokens', '300').results.masked).toBeGreaterThan(10);
    const p = evalJson(runs.electra, 'probe-sentiment', '--c', '1').results;
    expect(p.probe.accuracy).toBeGreaterThan(0);
  });

  it("span-accuracy on the run's held-out rows; the probes and sentence pairs on T5's encoder", () => {
    const r = evalJson(runs['span-corruption'], 'span-accuracy', '--max-tokens', '500').results;
    expect(r.spans).toBeGreaterThanOrEqual(r.rows); // at least one span per row
    expect(r.spanAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.tokenAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.loss).toBeGreaterThan(0);
    expect(evalJson(runs['span-corruption'], 'probe-sentiment', '--c', '1').results.probe.accuracy).toBeGreaterThan(0);
    const pairs = evalJson(runs['span-corruption'], 'sentence-pairs', '--max-pairs', '40');
    expect(pairs.results.item).toContain('mean-pooled final hidden states');
    expect(pairs.results.pairs).toBe(40);
  });

  it('sentence-pairs on SimCSE uses its own sentence vectors; tasks without a head are refused in one line', () => {
    expect(evalJson(runs.simcse, 'sentence-pairs', '--max-pairs', '40').results.item).toContain(
      "the model's evaluation pooler",
    );
    for (const [run, task, message] of [
      [runs.simcse, 'span-accuracy', 'span-accuracy needs a model with the seq2seq head'],
      [runs['span-corruption'], 'rtd', 'rtd needs a model with the rtd head'],
      [runs.electra, 'perplexity', 'perplexity needs a model with the lm head'],
    ]) {
      const r = cli(['eval', '--run', run, '--task', task]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
