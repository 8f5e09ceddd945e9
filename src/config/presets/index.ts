// The preset registry: explicit imports, one small file each. A preset may carry a recipe per model family, applied
// over it for runs that train that family (resolve.ts presetLayers).
import type { Config } from '../config.js';
import { small } from './small.js';
import { tiny, tinyRecipes } from './tiny.js';

export const presets: Readonly<Record<string, Partial<Config>>> = { tiny, 'tiny-base': tiny, small };

export const presetRecipes: Readonly<Record<string, Readonly<Record<string, Partial<Config>>>>> = {
  tiny: tinyRecipes,
};

export const presetNames: readonly string[] = Object.keys(presets);
