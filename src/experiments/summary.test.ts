// Verdicts from intervals, and the claims a comparison lists: only those whose objectives it names, a skipped
// objective's reason carried into the claim, a measurement against the textbook said plainly.
import { describe, expect, it } from 'vitest';
import { checkClaims } from './claims.js';
import { emptyResults, type RunRecord } from './results.js';
import { laterKeyShare, metricTable, verdictOf } from './summary.js';
import type { ExperimentSpec } from './spec.js';

const iv = (mean: number, half: number, seeds = 3) => ({ mean, low: mean - half, high: mean + half, seeds, min: mean - half, max: mean + half });

const run = (objective: string, seed: number, probe: number, lossShare: number): RunRecord => ({
  id: `${objective}/seed-${seed}`, objective, seed, architecture: 'X', parameters: 10, trained: { steps: 1, tokens: 100, seconds: 1, flops: 6000 }, lossShare,
  trainLoss: [], curve: [{ step: 1, tokens: 100, val_loss: 1 }], evals: { 'probe-genre': { metric: 'accuracy', value: probe } }, dir: '', finishedAt: '',
});

describe('verdicts', () => {
  it('disjoint intervals decide either way; overlap or one seed is inconclusive; a missing side was not run', () => {
    expect(verdictOf(iv(0.6, 0.05), iv(0.4, 0.05))).toBe('reproduced');
    expect(verdictOf(iv(0.4, 0.05), iv(0.6, 0.05))).toBe('not reproduced at this scale');
    expect(verdictOf(iv(0.5, 0.1), iv(0.45, 0.1))).toBe('inconclusive');
    expect(verdictOf(iv(0.9, 0, 1), iv(0.1, 0, 1))).toBe('inconclusive');
    expect(verdictOf(undefined, iv(0.1, 0))).toBe('not run');
  });

  it('the causal mask allows no later key, the bidirectional one all', () => {
    expect(laterKeyShare([1, 0, 0, 1, 1, 0, 1, 1, 1], 3)).toBe(0);
    expect(laterKeyShare(new Array(9).fill(1), 3)).toBe(1);
  });
});

describe('claims', () => {
  const spec: ExperimentSpec = { objectives: ['mlm', 'clm', 'mlm+nsp'], seeds: [0, 1, 2], budget: { kind: 'tokens', value: 100 }, config: {}, evals: ['probe-genre'], evalSize: { chunksPerDoc: 1, maxTokens: 1, maxPairs: 1 } };
  const results = emptyResults(spec, '');
  // clm beats mlm on the probe by a wide margin, every seed: against the textbook
  for (const seed of [0, 1, 2]) {
    results.runs[`mlm/${seed}`] = run('mlm', seed, 0.3 + seed * 0.001, 0.14);
    results.runs[`clm/${seed}`] = run('clm', seed, 0.6 + seed * 0.001, 0.97);
  }
  results.skipped['mlm+nsp'] = 'the trainer refuses it';
  const claims = checkClaims(results, metricTable(results));
  const byId = Object.fromEntries(claims.map((c) => [c.id, c]));

  it('lists the claims of the named objectives only', () => {
    expect(Object.keys(byId)).toEqual(['signal-clm', 'signal-mlm', 'understanding-probe-genre', 'understanding-probe-sentiment', 'nsp-too-easy', 'roberta-probe-genre', 'roberta-probe-sentiment']);
  });

  it('says plainly when the measurement disagrees with the textbook, and why a claim was not run', () => {
    expect(byId['signal-clm'].verdict).toBe('reproduced');
    expect(byId['signal-mlm'].verdict).toBe('reproduced');
    expect(byId['understanding-probe-genre'].verdict).toBe('not reproduced at this scale');
    expect(byId['understanding-probe-genre'].note).toMatch(/^Disagrees with the textbook at this scale: clm scored higher than mlm/);
    expect(byId['understanding-probe-sentiment'].verdict).toBe('not run');
    expect(byId['roberta-probe-genre']).toMatchObject({ verdict: 'not run', note: 'mlm+nsp was not trained: the trainer refuses it' });
  });
});
