// The preset registry: explicit imports, one small file each.
import type { Config } from '../config.js';
import { small } from './small.js';
import { tiny } from './tiny.js';

export const presets: Readonly<Record<string, Partial<Config>>> = { tiny, small };

export const presetNames: readonly string[] = Object.keys(presets);
