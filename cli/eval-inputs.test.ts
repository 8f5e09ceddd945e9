// The run settings eval reads: the checkpoint's trainer-state.json config, else run-config.json beside or above it;
// maskProb as a top-level knob or as the objective's option.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunSettings } from './eval-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'pretext-eval-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { corpus: 'brown', splitSeed: 3, validationFraction: 0.1, seqLen: 64 };

describe('readRunSettings', () => {
  it('trainer-state.json first, then run-config.json above the checkpoint; maskProb from options too', () => {
    const ckpt = join(dir, 'a', 'checkpoint-5');
    mkdirSync(ckpt, { recursive: true });
    writeFileSync(join(dir, 'a', 'run-config.json'), JSON.stringify({ ...base, objective: 'mlm', maskProb: 0.2 }));
    expect(readRunSettings(ckpt)).toMatchObject({
      objective: 'mlm',
      corpus: 'brown',
      splitSeed: 3,
      validationFraction: 0.1,
      maskProb: 0.2,
      seqLen: 64,
    });
    writeFileSync(
      join(ckpt, 'trainer-state.json'),
      JSON.stringify({ step: 5, config: { ...base, objective: 'mlm+sop', options: { maskProb: 0.3 } } }),
    );
    expect(readRunSettings(ckpt)).toMatchObject({
      source: join(ckpt, 'trainer-state.json'),
      objective: 'mlm+sop',
      maskProb: 0.3,
    });
    // a run recorded before a knob existed (positionEmbedding) reads as its default, as training then did
    expect(readRunSettings(ckpt)?.config).toMatchObject({ objective: 'mlm+sop', positionEmbedding: 'absolute' });
  });

  it('nothing recorded -> null; a broken or incomplete file -> one-line errors', () => {
    const empty = join(dir, 'b', 'checkpoint-1');
    mkdirSync(empty, { recursive: true });
    expect(readRunSettings(empty)).toBeNull();
    writeFileSync(join(empty, 'trainer-state.json'), '{');
    expect(() => readRunSettings(empty)).toThrow(`${join(empty, 'trainer-state.json')} is not valid JSON`);
    writeFileSync(join(empty, 'trainer-state.json'), JSON.stringify({ config: { corpus: 'brown' } }));
    expect(() => readRunSettings(empty)).toThrow('no corpus / splitSeed / validationFraction recorded');
  });
});
