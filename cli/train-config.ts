// Config knobs as CLI flags (camelCase key <-> kebab-case flag) and the run's config: defaults <- --preset <- --config
// FILE <- flags for a new run; the saved run-config.json for --resume, where only a few knobs may change.
import { existsSync, readFileSync } from 'node:fs';
import {
  defaultConfig,
  presetLayers,
  resolveConfig,
  schema,
  type Config,
  type ConfigLayer,
} from '../src/config/index.js';
import { PretextError } from '../src/errors.js';
import { trainingOf } from '../src/objectives/index.js';
import type { Objective } from '../src/objectives/objective.js';
import { resolveTask, trainedBy } from '../src/train/index.js';
import { kebab, type FlagSpec, type ParsedArgs } from './args.js';
import { optionValues } from './objective-flags.js';

/** Knobs a resumed run may change: how long it runs, what it logs and saves, and where it computes. */
export const RESUMABLE: readonly (keyof Config)[] = [
  'steps',
  'evalEvery',
  'saveEvery',
  'keepCheckpoints',
  'logEvery',
  'engine',
  'threads',
];

/** Keys of the knobs that are flags (the objective's options come as flags of their own). */
const knobKeys = (Object.keys(schema) as (keyof Config)[]).filter((k) => schema[k].kind !== 'object');

/** One flag per knob, with `shown`'s values as the defaults --help prints (the preset's). */
export function knobFlags(shown: Readonly<Config> = defaultConfig): FlagSpec[] {
  return knobKeys.map((key) => {
    const k = schema[key];
    return {
      name: kebab(key),
      type: k.kind as FlagSpec['type'],
      help: k.help,
      choices: k.choices,
      default: shown[key] as string | number | boolean,
    };
  });
}

/** One flag per option of the objective `shown.objective` trains, its default as that training name sets it. */
export function optionFlags(shown: Readonly<Config>): FlagSpec[] {
  const objective = trainingOf(shown.objective)?.objective;
  if (!objective) return [];
  let defaults: Readonly<Record<string, unknown>> = {};
  try {
    defaults = resolveTask(shown).options;
  } catch {
    // an objective that does not train yet: its own defaults
  }
  return objective.options.map((o) => ({
    name: kebab(o.key),
    type: o.type,
    help: `${objective.id}: ${o.help}`,
    choices: o.choices,
    default: (defaults[o.key] ?? o.default) as string | number | boolean | undefined,
  }));
}

/**
 * One flag per knob and one per option of the objective `shown.objective` trains; `shown` gives the defaults
 * printed by --help (the preset's values; an option's as that training name sets it).
 */
export function configFlags(shown: Readonly<Config> = defaultConfig): FlagSpec[] {
  return [...knobFlags(shown), ...optionFlags(shown)];
}

/** The options of `objective` the user gave as flags, as a layer (empty when none). */
export function optionLayer(args: ParsedArgs, objective: Objective | undefined): ConfigLayer {
  const options = objective ? optionValues(objective, args) : {};
  return { source: 'flags', values: Object.keys(options).length ? { options } : {} };
}

/** Knob values the user gave as flags, and the options of `objective` given as flags. */
export function flagLayer(args: ParsedArgs, objective?: Objective): ConfigLayer {
  const values: Record<string, unknown> = {};
  for (const key of knobKeys) if (args.given.has(kebab(key))) values[key] = args.flags[kebab(key)];
  return { source: 'flags', values: { ...values, ...optionLayer(args, objective).values } };
}

/** The objective a training name trains (undefined for a name that does not train). */
export const objectiveOf = (name: string): Objective | undefined => trainingOf(name)?.objective;

/** A JSON config file (a run-config.json works) as a layer. */
export function fileLayer(path: string): ConfigLayer {
  if (!existsSync(path)) throw new PretextError(`no such file: ${path}`);
  try {
    return { source: path, values: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> };
  } catch {
    throw new PretextError(`${path}: not valid JSON`);
  }
}

/**
 * The layers of a new run: --preset, the preset's recipe for the model family the run trains (its objective and
 * --model as the later layers set them), then `later` (--config FILE, flags).
 */
export function runLayers(preset: string, later: readonly ConfigLayer[]): ConfigLayer[] {
  const last = (key: keyof Config) =>
    [...later].reverse().find((l) => l.values[key] !== undefined)?.values[key] ?? defaultConfig[key];
  const { family, own } = trainedBy(String(last('objective')), String(last('model')));
  return [...presetLayers(preset, family, own), ...later];
}

/** The config of a new run. */
export function newRunConfig(args: ParsedArgs, objective?: Objective): Readonly<Config> {
  const later = args.flags.config ? [fileLayer(args.flags.config as string)] : [];
  return resolveConfig(...runLayers(args.flags.preset as string, [...later, flagLayer(args, objective)]));
}

/**
 * The config of a resumed run: the saved one, with RESUMABLE knobs from flags. Other knobs given (repeating the
 * original command is fine) must match the saved values.
 */
export function resumedConfig(args: ParsedArgs, savedPath: string, objective?: Objective): Readonly<Config> {
  const saved = resolveConfig(fileLayer(savedPath));
  const flags = flagLayer(args, objective);
  const explicit = args.given.has('preset') || args.given.has('config');
  const asNew = explicit ? newRunConfig(args, objective) : resolveConfig(fileLayer(savedPath), flags);
  const keys = explicit ? (Object.keys(schema) as (keyof Config)[]) : (Object.keys(flags.values) as (keyof Config)[]);
  for (const key of keys) {
    if (RESUMABLE.includes(key) || JSON.stringify(asNew[key]) === JSON.stringify(saved[key])) continue;
    if (key === 'vocabSize') continue; // sizes a tokenizer to train; the run has its tokenizer (run-config.json records its size)
    throw new PretextError(
      `--${kebab(key)} is ${JSON.stringify(asNew[key])} but the run was started with ${JSON.stringify(saved[key])}; a resumed run keeps its config (it may change ${RESUMABLE.map((k) => `--${kebab(k)}`).join(', ')})`,
    );
  }
  const changes: Record<string, unknown> = {};
  for (const key of RESUMABLE) if (args.given.has(kebab(key))) changes[key] = args.flags[kebab(key)];
  return resolveConfig({ source: savedPath, values: { ...saved } }, { source: 'flags', values: changes });
}
