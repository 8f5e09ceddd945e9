import { describe, expect, it } from 'vitest';
import { defaultConfig, presetLayer, presetLayers, presets, resolveConfig, schema } from './index.js';
import { presetRecipes } from './presets/index.js';

describe('config resolution', () => {
  it('defaults <- preset <- flags, frozen', () => {
    const c = resolveConfig(presetLayer('tiny'), { source: 'flags', values: { steps: 7, lr: 2e-3 } });
    expect(c).toMatchObject({
      vocabSize: 8192,
      hiddenSize: 128,
      numLayers: 2,
      numHeads: 2,
      ffnSize: 512,
      seqLen: 128,
      batchSize: 32,
      steps: 7,
      lr: 2e-3,
    });
    expect(c.weightDecay).toBe(defaultConfig.weightDecay);
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => ((c as { steps: number }).steps = 1)).toThrow(TypeError);
  });

  it('later layers win; undefined values are skipped', () => {
    const c = resolveConfig({ source: 'a', values: { seed: 1 } }, { source: 'b', values: { seed: 2, lr: undefined } });
    expect(c.seed).toBe(2);
    expect(c.lr).toBe(defaultConfig.lr);
  });

  it.each([
    [{ stpes: 3 }, "flags: unknown config key 'stpes' (did you mean 'steps'?)"],
    [{ toString: 3 }, "flags: unknown config key 'toString'"],
    [{ steps: '3' }, 'flags: steps must be an integer, got "3"'],
    [{ steps: 2.5 }, 'flags: steps must be an integer, got 2.5'],
    [{ lr: 'fast' }, 'flags: lr must be a number, got "fast"'],
    [{ options: [1] }, 'flags: options must be an object, got [1]'],
    [{ objective: 'span-corruption2' }, 'flags: objective must be one of mlm, clm, nsp, mlm+nsp, sop, mlm+sop'],
    [{ lr: 0 }, 'flags: lr must be greater than 0, got 0'],
    [{ batchSize: 0 }, 'flags: batchSize must be at least 1, got 0'],
    [{ warmupRatio: 1.5 }, 'flags: warmupRatio must be at most 1, got 1.5'],
    [{ hiddenSize: 100, numHeads: 3 }, 'config: hiddenSize 100 is not a multiple of numHeads 3'],
    [{ seqLen: 1024 }, 'config: seqLen 1024 exceeds maxPositions 512'],
  ])('rejects %j', (values, message) => {
    expect(() => resolveConfig({ source: 'flags', values })).toThrow(message);
  });

  it("the objective's options merge key by key across layers", () => {
    const c = resolveConfig(
      { source: 'a', values: { options: { maskProb: 0.3, wholeWord: true } } },
      { source: 'b', values: { options: { maskProb: 0.4 } } },
    );
    expect(c.options).toEqual({ maskProb: 0.4, wholeWord: true });
  });

  it('unknown presets are one-line errors', () => {
    expect(() => presetLayer('huge')).toThrow("unknown preset 'huge' (presets: tiny, tiny-base, small)");
    expect(() => presetLayer('toString')).toThrow("unknown preset 'toString'");
  });

  it("a preset's recipe for the family trained lies over it; the options the training name sets itself stay out", () => {
    const bert = resolveConfig(...presetLayers('tiny', 'bert'));
    expect(bert).toMatchObject({
      positionEmbedding: 'relative_key',
      seqLen: 64,
      batchSize: 16,
      lr: 2e-3,
      hiddenSize: 128,
    });
    expect(bert.options).toEqual({ maskProb: 0.3 });
    expect(resolveConfig(...presetLayers('tiny', 'bert', ['maskProb'])).options).toEqual({});
    expect(resolveConfig(...presetLayers('tiny', 'gpt2'))).toMatchObject({ batchSize: 8, lr: 6e-3, warmupRatio: 0.4 });
    const plain = resolveConfig(presetLayer('tiny'));
    for (const [name, family] of [
      ['tiny', 't5'],
      ['tiny', undefined],
      ['tiny-base', 'bert'],
      ['small', 'gpt2'],
    ] as const)
      expect(resolveConfig(...presetLayers(name, family))).toEqual(resolveConfig(presetLayer(name)));
    expect(resolveConfig(presetLayer('tiny-base'))).toEqual(plain);
    // later layers still win over the recipe
    expect(resolveConfig(...presetLayers('tiny', 'bert'), { source: 'flags', values: { seqLen: 128 } }).seqLen).toBe(
      128,
    );
    for (const recipes of Object.values(presetRecipes))
      for (const family of Object.keys(recipes))
        expect(() => resolveConfig(...presetLayers('tiny', family))).not.toThrow();
  });

  it('every preset resolves and sets only known keys; every knob has a schema entry of its type', () => {
    for (const name of Object.keys(presets)) expect(() => resolveConfig(presetLayer(name))).not.toThrow();
    for (const [key, value] of Object.entries(defaultConfig)) {
      const k = schema[key as keyof typeof schema];
      expect(k, key).toBeDefined();
      expect(k.kind === 'int' || k.kind === 'number' ? 'number' : k.kind).toBe(typeof value); // 'object': options
    }
    expect(Object.keys(schema).sort()).toEqual(Object.keys(defaultConfig).sort());
  });
});
