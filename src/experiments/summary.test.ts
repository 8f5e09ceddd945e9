// Verdicts from intervals, and the claims a comparison lists: only those whose objectives it names, a skipped
// objective's reason carried into the claim, a measurement against the textbook said plainly.
import { describe, expect, it } from 'vitest';
import { checkClaims } from './claims.js';
import { emptyResults, type RunRecord } from './results.js';
import { laterKeyShare, metricTable, verdictOf } from './summary.js';
import type { ExperimentSpec } from './spec.js';

const iv = (mean: number, half: number, seeds = 3) => ({
  mean,
  low: mean - half,
  high: mean + half,
  seeds,
  min: mean - half,
  max: mean + half,
});

const run = (objective: string, seed: number, probe: number, lossShare: number): RunRecord => ({
  id: `${objective}/seed-${seed}`,
  objective,
  seed,
  architecture: 'X',
  parameters: 10,
  trained: { steps: 1, tokens: 100, seconds: 1, flops: 6000 },
  lossShare,
  trainLoss: [],
  curve: [{ step: 1, tokens: 100, val_loss: 1 }],
  evals: { 'probe-genre': { metric: 'accuracy', value: probe } },
  dir: '',
  finishedAt: '',
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
  const spec: ExperimentSpec = {
    objectives: ['mlm', 'clm', 'mlm+nsp'],
    seeds: [0, 1, 2],
    budget: { kind: 'tokens', value: 100 },
    config: {},
    evals: ['probe-genre'],
    evalSize: { chunksPerDoc: 1, maxTokens: 1, maxPairs: 1 },
  };
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
    expect(Object.keys(byId)).toEqual([
      'signal-clm',
      'signal-mlm',
      'understanding-probe-genre',
      'understanding-probe-sentiment',
      'nsp-too-easy',
      'roberta-probe-genre',
      'roberta-probe-sentiment',
    ]);
  });

  it('says plainly when the measurement disagrees with the textbook, and why a claim was not run', () => {
    expect(byId['signal-clm'].verdict).toBe('reproduced');
    expect(byId['signal-mlm'].verdict).toBe('reproduced');
    expect(byId['understanding-probe-genre'].verdict).toBe('not reproduced at this scale');
    expect(byId['understanding-probe-genre'].note).toMatch(
      /^Disagrees with the textbook at this scale: clm scored higher than mlm/,
    );
    expect(byId['understanding-probe-sentiment'].verdict).toBe('not run');
    expect(byId['roberta-probe-genre']).toMatchObject({
      verdict: 'not run',
      note: 'mlm+nsp was not trained: the trainer refuses it',
    });
  });
});

describe('claims that the intervals cannot decide', () => {
  const spec: ExperimentSpec = {
    objectives: ['mlm', 'clm', 'electra', 'simcse'],
    seeds: [0, 1, 2],
    budget: { kind: 'tokens', value: 100 },
    config: {},
    evals: ['probe-genre'],
    evalSize: { chunksPerDoc: 1, maxTokens: 1, maxPairs: 1 },
  };
  const withEvals = (r: RunRecord, evals: RunRecord['evals'], flops = r.trained.flops): RunRecord => ({
    ...r,
    trained: { ...r.trained, flops },
    evals,
  });
  const probe = (value: number, majority = 0.2) => ({ metric: 'accuracy', value, baselines: { majority } });
  const results = emptyResults(spec, '');
  for (const seed of [0, 1, 2]) {
    // mlm stuck at the majority class on every seed; clm barely under it, with a tiny spread
    results.runs[`mlm/${seed}`] = withEvals(run('mlm', seed, 0, 0.15), {
      'probe-genre': probe(0.2),
      'sentence-pairs': {
        metric: 'retrieval',
        value: 0.1 + seed * 0.01,
        baselines: { chance: 0.02 },
        extra: { uniformity: -1 - seed * 0.01 },
      },
    });
    results.runs[`clm/${seed}`] = withEvals(run('clm', seed, 0, 0.97), { 'probe-genre': probe(0.19 - seed * 0.001) });
    // electra wins the probe by far, with 3x mlm's FLOPs
    results.runs[`electra/${seed}`] = withEvals(
      run('electra', seed, 0, 1),
      { 'probe-genre': probe(0.6 + seed * 0.01) },
      18000,
    );
    // simcse: better retrieval, lower uniformity (better)
    results.runs[`simcse/${seed}`] = withEvals(run('simcse', seed, 0, 0.03), {
      'probe-genre': probe(0.3 + seed * 0.01),
      'sentence-pairs': {
        metric: 'retrieval',
        value: 0.5 + seed * 0.01,
        baselines: { chance: 0.02 },
        extra: { uniformity: -3 - seed * 0.01 },
      },
    });
  }
  const byId = Object.fromEntries(checkClaims(results, metricTable(results)).map((c) => [c.id, c]));

  it('a winner at its majority baseline is not learned at this scale: inconclusive, not reproduced', () => {
    expect(verdictOf(metricTable(results).mlm['probe-genre'], metricTable(results).clm['probe-genre'])).toBe(
      'reproduced',
    ); // the bare intervals would say so
    expect(byId['understanding-probe-genre'].verdict).toBe('inconclusive');
    expect(byId['understanding-probe-genre'].note).toContain(
      'mlm probe-genre is at its majority baseline (0.200) on every seed: not learned at this scale',
    );
  });

  it('a loser at its baseline leaves a clear win standing, and says so', () => {
    expect(byId['simcse-probe-genre'].verdict).toBe('reproduced');
    expect(byId['simcse-probe-genre'].note).toContain('mlm probe-genre is at its majority baseline');
  });

  it('lower-is-better figures compare the other way round', () => {
    expect(byId['simcse-retrieval'].verdict).toBe('reproduced');
    expect(byId['simcse-uniformity'].verdict).toBe('reproduced');
  });

  it('a same-compute claim won with more FLOPs is not an equal-compute result', () => {
    expect(byId['electra-probe-genre'].verdict).toBe('inconclusive');
    expect(byId['electra-probe-genre'].note).toContain('with 3.00x the FLOPs: not an equal-compute result');
    expect(byId['signal-electra'].verdict).toBe('reproduced');
  });
});

describe('seeds that all agree', () => {
  it('give no interval: a claim they would win is inconclusive, and says why', () => {
    const spec: ExperimentSpec = {
      objectives: ['mlm', 'clm'],
      seeds: [0, 1],
      budget: { kind: 'tokens', value: 100 },
      config: {},
      evals: ['probe-genre'],
      evalSize: { chunksPerDoc: 1, maxTokens: 1, maxPairs: 1 },
    };
    const results = emptyResults(spec, '');
    for (const seed of [0, 1]) {
      results.runs[`mlm/${seed}`] = run('mlm', seed, 0.5, 0.15); // the same value on both seeds, well above majority (none recorded)
      results.runs[`clm/${seed}`] = run('clm', seed, 0.3 + seed * 0.01, 0.97);
    }
    const claim = checkClaims(results, metricTable(results)).find((c) => c.id === 'understanding-probe-genre')!;
    expect(claim.verdict).toBe('inconclusive');
    expect(claim.note).toContain('every seed of mlm gives probe-genre = 0.500: no spread, so no interval');
  });
});
