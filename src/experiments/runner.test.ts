// The runner on a fake trainer: the grid's order, refused objectives recorded as skipped (not faked), results saved
// after every run, finished runs skipped on a continued comparison, and a continuation with another setup refused.
import { describe, expect, it } from 'vitest';
import { ObjectiveRefused, runExperiment, type RunnerIo } from './runner.js';
import type { Results, RunRecord } from './results.js';
import type { ExperimentSpec } from './spec.js';

const spec = (objectives: string[], seeds = [0, 1]): ExperimentSpec => ({
  objectives,
  seeds,
  budget: { kind: 'tokens', value: 1000 },
  config: { hiddenSize: 32 },
  evals: ['probe-sentiment'],
  evalSize: { chunksPerDoc: 1, maxTokens: 100, maxPairs: 10 },
});

function fakeIo(refuse: Record<string, 'config' | 'setup'> = {}) {
  const trained: string[] = [];
  const saved: number[] = [];
  const io: RunnerIo = {
    untrainable: (o) => (refuse[o] === 'config' ? `no config for ${o}` : undefined),
    train: async (run) => {
      if (refuse[run.objective] === 'setup') throw new ObjectiveRefused(`no task for ${run.objective}`);
      trained.push(run.id);
      return { id: run.id, objective: run.objective, seed: run.seed } as RunRecord;
    },
    save: (r: Results) => saved.push(Object.keys(r.runs).length),
    now: () => '2026-01-01T00:00:00Z',
  };
  return { io, trained, saved };
}

describe('runExperiment', () => {
  it('trains objective-major, records refused objectives as skipped with the reason, saves after each run', async () => {
    const f = fakeIo({ nsp: 'config', sop: 'setup' });
    const r = await runExperiment(spec(['mlm', 'nsp', 'sop', 'clm']), undefined, f.io);
    expect(f.trained).toEqual(['mlm/seed-0', 'mlm/seed-1', 'clm/seed-0', 'clm/seed-1']);
    expect(Object.keys(r.runs)).toEqual(f.trained);
    expect(r.skipped).toEqual({ nsp: 'no config for nsp', sop: 'no task for sop' });
    expect(f.saved).toEqual([0, 1, 2, 2, 3, 4]);
  });

  it('a continued comparison skips finished runs and trains only the rest (added seeds too)', async () => {
    const first = await runExperiment(spec(['mlm', 'clm'], [0]), undefined, fakeIo().io);
    const again = fakeIo();
    const r = await runExperiment(spec(['mlm', 'clm'], [0, 1]), first, again.io);
    expect(again.trained).toEqual(['mlm/seed-1', 'clm/seed-1']);
    expect(Object.keys(r.runs).sort()).toEqual(['clm/seed-0', 'clm/seed-1', 'mlm/seed-0', 'mlm/seed-1']);
    expect(r.spec.seeds).toEqual([0, 1]);
  });

  it('refuses to continue with another budget or config', async () => {
    const first = await runExperiment(spec(['mlm']), undefined, fakeIo().io);
    await expect(
      runExperiment({ ...spec(['mlm']), budget: { kind: 'tokens', value: 2000 } }, first, fakeIo().io),
    ).rejects.toThrow(/another budget, config or evaluations/);
  });
});
