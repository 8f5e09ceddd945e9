// Config knobs as CLI flags (camelCase key <-> kebab-case flag) and the run's config: defaults <- --preset <- --config
// FILE <- flags for a new run; the saved run-config.json for --resume, where only a few knobs may change.
import { existsSync, readFileSync } from 'node:fs';
import { defaultConfig, presetLayer, resolveConfig, schema, type Config, type ConfigLayer } from '../src/config/index.js';
import { PretextError } from '../src/errors.js';
import { kebab, type FlagSpec, type ParsedArgs } from './args.js';

/** Knobs a resumed run may change: how long it runs, what it logs and saves, and where it computes. */
export const RESUMABLE: readonly (keyof Config)[] = ['steps', 'evalEvery', 'saveEvery', 'keepCheckpoints', 'logEvery', 'engine', 'threads'];

/** One flag per knob; `shown` gives the defaults printed by --help (the preset's values). */
export function configFlags(shown: Readonly<Config> = defaultConfig): FlagSpec[] {
  return (Object.keys(schema) as (keyof Config)[]).map((key) => {
    const k = schema[key];
    return { name: kebab(key), type: k.kind, help: k.help, choices: k.choices, default: shown[key] };
  });
}

/** Knob values the user gave as flags. */
export function flagLayer(args: ParsedArgs): ConfigLayer {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) if (args.given.has(kebab(key))) values[key] = args.flags[kebab(key)];
  return { source: 'flags', values };
}

/** A JSON config file (a run-config.json works) as a layer. */
export function fileLayer(path: string): ConfigLayer {
  if (!existsSync(path)) throw new PretextError(`no such file: ${path}`);
  try {
    return { source: path, values: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> };
  } catch {
    throw new PretextError(`${path}: not valid JSON`);
  }
}

/** The config of a new run. */
export function newRunConfig(args: ParsedArgs): Readonly<Config> {
  const layers = [presetLayer(args.flags.preset as string)];
  if (args.flags.config) layers.push(fileLayer(args.flags.config as string));
  layers.push(flagLayer(args));
  return resolveConfig(...layers);
}

/**
 * The config of a resumed run: the saved one, with RESUMABLE knobs from flags. Other knobs given (repeating the
 * original command is fine) must match the saved values.
 */
export function resumedConfig(args: ParsedArgs, savedPath: string): Readonly<Config> {
  const saved = resolveConfig(fileLayer(savedPath));
  const flags = flagLayer(args);
  const explicit = args.given.has('preset') || args.given.has('config');
  const asNew = explicit ? newRunConfig(args) : resolveConfig(fileLayer(savedPath), flags);
  const keys = explicit ? (Object.keys(schema) as (keyof Config)[]) : (Object.keys(flags.values) as (keyof Config)[]);
  for (const key of keys) {
    if (RESUMABLE.includes(key) || asNew[key] === saved[key]) continue;
    throw new PretextError(`--${kebab(key)} is ${JSON.stringify(asNew[key])} but the run was started with ${JSON.stringify(saved[key])}; a resumed run keeps its config (it may change ${RESUMABLE.map((k) => `--${kebab(k)}`).join(', ')})`);
  }
  const changes: Record<string, unknown> = {};
  for (const key of RESUMABLE) if (args.given.has(kebab(key))) changes[key] = args.flags[kebab(key)];
  return resolveConfig({ source: savedPath, values: { ...saved } }, { source: 'flags', values: changes });
}
