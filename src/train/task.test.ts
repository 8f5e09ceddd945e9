// The one pipeline's declarations: every trainable objective names a registered family and a head it has, its
// options never shadow a config knob (both are flags), and a bad name, model, option or loss weight is one line.
import { describe, expect, it } from 'vitest';
import { resolveConfig, schema } from '../config/index.js';
import { modelFamilies } from '../model/index.js';
import { objectives, trainingNames, trainingOf } from '../objectives/index.js';
import { resolveTask } from './task.js';

const config = (values: Record<string, unknown>) => resolveConfig({ source: 'flags', values });

describe('training declarations', () => {
  it('each names a model family of the registry that has its head, and options that are not config knobs', () => {
    for (const o of objectives) {
      for (const [name, choice] of Object.entries(o.training?.models ?? {})) {
        const family = modelFamilies[choice.model];
        if (!family) continue; // declared for a family another change registers (t5, electra)
        expect(family.heads, `${o.id} --model ${name}`).toContain(choice.head);
      }
      if (o.training)
        for (const s of o.options)
          expect(Object.hasOwn(schema, s.key), `${o.id}.${s.key} shadows a config knob`).toBe(false);
    }
  });

  it('training names: objective ids and the names objectives declare (mlm+nsp, mlm+sop)', () => {
    expect(trainingNames).toEqual(
      expect.arrayContaining(['mlm', 'clm', 'nsp', 'mlm+nsp', 'sop', 'mlm+sop', 'prefix-lm']),
    );
    expect(trainingOf('mlm+nsp')).toMatchObject({ objective: { id: 'nsp' }, defaults: {} });
    expect(trainingOf('nsp')).toMatchObject({ objective: { id: 'nsp' }, defaults: { maskProb: 0 } });
    expect(trainingOf('nope')).toBeUndefined();
  });

  it('options: objective defaults <- the training name <- the rows <- the config', () => {
    expect(resolveTask(config({ objective: 'clm', seqLen: 64 })).options).toMatchObject({
      pack: true,
      blockSize: 64,
      documentAttention: true,
    });
    expect(resolveTask(config({ objective: 'nsp', seqLen: 64 })).options).toMatchObject({ maxSeqLen: 64, maskProb: 0 });
    expect(resolveTask(config({ objective: 'nsp', options: { maskProb: 0.2 } })).options).toMatchObject({
      maskProb: 0.2,
    });
    expect(resolveTask(config({ objective: 'mlm+sop' })).options).toMatchObject({ maskProb: 0.15 });
    expect(resolveTask(config({ objective: 'mlm+nsp', lossWeights: 'pair=0.5' })).lossWeights).toEqual({ pair: 0.5 });
    const t = resolveTask(config({ objective: 'prefix-lm', model: 'decoder' }));
    expect([t.family.name, t.choice.head, t.options.format]).toEqual(['gpt2', 'lm', 'decoder']);
    for (const objective of ['mlm', 'mlm+nsp', 'sop'])
      expect(resolveTask(config({ objective, positionEmbedding: 'relative_key' })).family.name).toBe('bert');
    const pre = resolveTask(config({ objective: 'mlm', model: 'pre-ln' }));
    expect([pre.family.name, pre.choice.head, pre.options.maskProb]).toEqual(['roberta-prelayernorm', 'mlm', 0.15]);
  });

  it.each([
    [{ objective: 'mlm', options: { wholeWrd: true } }, "mlm: unknown option 'wholeWrd'"],
    [{ objective: 'mlm', options: { maskProb: 2 } }, 'mlm: maskProb must be a probability in [0, 1], got 2'],
    [{ objective: 'mlm', model: 'decoder' }, "mlm trains --model encoder or pre-ln, not 'decoder'"],
    [{ objective: 'mlm+nsp', model: 'pre-ln' }, "mlm+nsp trains --model encoder, not 'pre-ln'"],
    [{ objective: 'mlm', lossWeights: 'mlm=-1' }, "lossWeights: 'mlm=-1' is not name=weight with a weight >= 0"],
    [{ objective: 'clm', lossWeights: 'pair=1' }, "lossWeights: the gpt2 family has the losses lm, not 'pair'"],
    [
      { objective: 'electra', positionEmbedding: 'relative_key' },
      '--position-embedding relative_key: the electra model family takes absolute positions; train electra with --position-embedding absolute',
    ],
  ])('rejects %j', (values, message) => {
    expect(() => resolveTask(config(values))).toThrow(message);
  });
});
