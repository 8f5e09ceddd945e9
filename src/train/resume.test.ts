// A run stopped at step k and resumed from its checkpoint equals the uninterrupted run: same losses, same weight
// bytes. Dropout is on, so the saved dropout stream matters; the checkpoint goes through bytes and JSON as on disk.
import { describe, expect, it } from 'vitest';
import { loadModel, loadStateDict, readSafetensors, saveModel } from '../model/index.js';
import { smallConfig, smallRun } from './fixtures.case.js';
import { trainEvents } from './loop.js';
import { parseTrainerState } from './state.js';
import type { Trainer } from './trainer.js';

const config = (objective: 'mlm' | 'clm') =>
  smallConfig(objective, { steps: 24, dropout: 0.1, evalEvery: 8, saveEvery: 10 });

function losses(trainer: Trainer, steps: number, stopAt = Infinity): number[] {
  const out: number[] = [];
  for (const e of trainEvents(trainer, { steps, evalEvery: 8, saveEvery: 10 })) {
    if (e.type === 'step') out.push(e.loss);
    if (e.type === 'step' && e.step === stopAt) break;
  }
  return out;
}

describe('resume', () => {
  for (const objective of ['mlm', 'clm'] as const) {
    it(`${objective}: stop at step 10, resume from the checkpoint bytes -> identical losses and final weights`, async () => {
      const c = config(objective);
      const full = await smallRun(c);
      const want = losses(full.trainer, 24);
      const wantBytes = saveModel(full.model).safetensors;
      full.model.engine.dispose();

      const first = await smallRun(c);
      const before = losses(first.trainer, 24, 10);
      const snap = first.trainer.snapshot();
      const files = {
        weights: saveModel(first.model).safetensors,
        state: JSON.stringify(snap.state),
        optimizer: snap.optimizer.slice(),
      };
      first.model.engine.dispose();

      const second = await smallRun(c);
      loadStateDict(second.model, readSafetensors(files.weights).tensors, { strict: true });
      second.trainer.restore(parseTrainerState(JSON.parse(files.state)), files.optimizer);
      expect(second.trainer.step).toBe(10);
      const after = losses(second.trainer, 24);
      expect([...before, ...after]).toEqual(want);
      expect(Buffer.from(saveModel(second.model).safetensors).equals(Buffer.from(wantBytes))).toBe(true);
      second.model.engine.dispose();
    });
  }

  it('the saved dropout stream and moments matter: a resume without either diverges', async () => {
    const c = config('mlm');
    const full = await smallRun(c);
    const want = losses(full.trainer, 14).slice(10);
    full.model.engine.dispose();
    const first = await smallRun(c);
    losses(first.trainer, 14, 10);
    const weights = saveModel(first.model).safetensors;
    const snap = first.trainer.snapshot();
    const fresh = (await smallRun(c, first.model.engine)).trainer.snapshot(); // step-0 stream, zero moments
    for (const [rng, optimizer] of [
      [fresh.state.rng, snap.optimizer],
      [snap.state.rng, fresh.optimizer],
    ] as const) {
      const second = await smallRun(c, first.model.engine);
      loadStateDict(second.model, readSafetensors(weights).tensors);
      second.trainer.restore({ ...snap.state, rng: [...rng] }, optimizer);
      expect(losses(second.trainer, 14)).not.toEqual(want);
    }
    const same = await smallRun(c, first.model.engine);
    loadStateDict(same.model, readSafetensors(weights).tensors);
    same.trainer.restore(snap.state, snap.optimizer);
    expect(losses(same.trainer, 14)).toEqual(want);
    first.model.engine.dispose();
  });

  it('a saved checkpoint loads back with loadModel and gives the same validation loss', async () => {
    const c = config('mlm');
    const run = await smallRun(c);
    losses(run.trainer, 12);
    const before = run.trainer.evaluate();
    const saved = saveModel(run.model);
    const loaded = loadModel(saved.config, saved.safetensors, run.model.engine);
    const batch = run.rows.validation!.batch([0, 1, 2, 3], c.splitSeed, 0);
    expect(loaded.forward(batch).loss).toBe(run.model.forward(batch).loss);
    expect(run.trainer.evaluate()).toEqual(before); // evaluation changes nothing
    run.model.engine.dispose();
  });
});
