// A new run's config: the preset, its recipe for the model family the training name trains, then --config and flags.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';
import { configFlags, newRunConfig, objectiveOf } from './train-config.js';

const specs = [
  ...configFlags(),
  { name: 'preset', type: 'string' as const, default: 'tiny' },
  { name: 'config', type: 'string' as const },
];
const configOf = (...argv: string[]) => {
  const args = parseArgs(argv, specs);
  return newRunConfig(args, objectiveOf(String(args.flags.objective ?? 'mlm')));
};

describe('a new run takes its preset and the recipe for its model family', () => {
  it('mlm, mlm+nsp: the BERT recipe, masking 30%; nsp and sop keep their own rate of 0', () => {
    for (const name of ['mlm', 'mlm+nsp', 'mlm+sop']) {
      const c = configOf('--objective', name);
      expect(c, name).toMatchObject({ positionEmbedding: 'relative_key', seqLen: 64, batchSize: 16, lr: 2e-3 });
      expect(c.options).toEqual({ maskProb: 0.3 });
    }
    for (const name of ['nsp', 'sop']) {
      const c = configOf('--objective', name);
      expect(c.seqLen).toBe(64);
      expect(c.options).toEqual({});
    }
  });

  it('clm and prefix-lm on GPT-2: the GPT-2 recipe; T5, ELECTRA and pre-LN BERT: the preset alone', () => {
    for (const argv of [
      ['--objective', 'clm'],
      ['--objective', 'prefix-lm', '--model', 'decoder'],
    ])
      expect(configOf(...argv), argv.join(' ')).toMatchObject({
        batchSize: 8,
        lr: 6e-3,
        warmupRatio: 0.4,
        seqLen: 128,
      });
    for (const argv of [
      ['--objective', 'span-corruption'],
      ['--objective', 'electra'],
      ['--objective', 'mlm', '--model', 'pre-ln'],
    ])
      expect(configOf(...argv), argv.join(' ')).toMatchObject({
        batchSize: 32,
        lr: 1e-3,
        seqLen: 128,
        positionEmbedding: 'absolute',
      });
  });

  it('tiny-base, --config and flags: the recipe gives way', () => {
    expect(configOf('--objective', 'mlm', '--preset', 'tiny-base')).toMatchObject({
      seqLen: 128,
      batchSize: 32,
      options: {},
    });
    const c = configOf('--objective', 'mlm', '--seq-len', '128', '--mask-prob', '0.15');
    expect(c).toMatchObject({ seqLen: 128, batchSize: 16, options: { maskProb: 0.15 } });
    const file = join(mkdtempSync(join(tmpdir(), 'pretext-config-')), 'c.json');
    writeFileSync(file, JSON.stringify({ objective: 'clm', lr: 1e-3 }));
    expect(configOf('--config', file)).toMatchObject({ objective: 'clm', batchSize: 8, lr: 1e-3 }); // the file names the objective
  });
});
