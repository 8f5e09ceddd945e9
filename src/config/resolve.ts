// resolve(defaults <- preset <- file <- flags) -> a frozen Config. Unknown keys and type changes throw (nanoGPT's
// configurator asserts the same); values are range-checked against schema.ts; cross-key rules last.
import { ensure } from '../errors.js';
import { defaultConfig, type Config } from './config.js';
import { presetRecipes, presets, presetNames } from './presets/index.js';
import { schema, type Knob } from './schema.js';

/** One layer of overrides and the name error messages give it ("preset tiny", "--flags", a file path). */
export interface ConfigLayer {
  source: string;
  values: Record<string, unknown>;
}

/** The named preset as a layer. */
export function presetLayer(name: string): ConfigLayer {
  const values = Object.hasOwn(presets, name) ? presets[name] : undefined;
  ensure(values !== undefined, () => `unknown preset '${name}' (presets: ${presetNames.join(', ')})`);
  return { source: `preset ${name}`, values };
}

/**
 * The named preset and, when it has one for `family` (the model family the run trains), its recipe over it: the
 * layers a run starts from. The recipe's objective options leave out those in `own` (the ones the training name
 * sets itself: nsp trains with maskProb 0 whatever the recipe's mask rate).
 */
export function presetLayers(name: string, family?: string, own: readonly string[] = []): ConfigLayer[] {
  const layers = [presetLayer(name)];
  const recipes = Object.hasOwn(presetRecipes, name) ? presetRecipes[name] : {};
  if (family === undefined || !Object.hasOwn(recipes, family)) return layers;
  const { options, ...values } = recipes[family];
  const kept = Object.entries(options ?? {}).filter(([key]) => !own.includes(key));
  if (kept.length > 0) Object.assign(values, { options: Object.fromEntries(kept) });
  return [...layers, { source: `preset ${name} (${family} recipe)`, values }];
}

/** defaultConfig <- each layer in order, checked, frozen. */
export function resolveConfig(...layers: ConfigLayer[]): Readonly<Config> {
  const out: Record<string, unknown> = { ...defaultConfig };
  for (const { source, values } of layers) {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const knob = (schema as Record<string, Knob | undefined>)[key];
      ensure(
        knob !== undefined && Object.hasOwn(schema, key),
        () => `${source}: unknown config key '${key}'${suggest(key)}`,
      );
      checkValue(source, key, knob, value);
      out[key] = knob.kind === 'object' ? Object.freeze({ ...(out[key] as object), ...(value as object) }) : value; // objects merge key by key
    }
  }
  const config = out as unknown as Config;
  checkConfig(config);
  return Object.freeze(config);
}

function checkValue(source: string, key: string, k: Knob, v: unknown): void {
  const type = k.kind === 'int' ? 'an integer' : k.kind === 'object' ? 'an object' : `a ${k.kind}`;
  const ok =
    k.kind === 'int'
      ? Number.isSafeInteger(v)
      : k.kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : k.kind === 'object'
          ? typeof v === 'object' && v !== null && !Array.isArray(v)
          : typeof v === k.kind;
  ensure(ok, () => `${source}: ${key} must be ${type}, got ${JSON.stringify(v)}`);
  if (k.choices)
    ensure(
      k.choices.includes(v as string),
      () => `${source}: ${key} must be one of ${k.choices!.join(', ')}, got '${v}'`,
    );
  if (typeof v !== 'number') return;
  ensure(k.min === undefined || v >= k.min, () => `${source}: ${key} must be at least ${k.min}, got ${v}`);
  ensure(k.max === undefined || v <= k.max, () => `${source}: ${key} must be at most ${k.max}, got ${v}`);
  ensure(k.above === undefined || v > k.above, () => `${source}: ${key} must be greater than ${k.above}, got ${v}`);
}

// Rules between keys.
function checkConfig(c: Config): void {
  ensure(
    c.hiddenSize % c.numHeads === 0,
    `config: hiddenSize ${c.hiddenSize} is not a multiple of numHeads ${c.numHeads}`,
  );
  ensure(c.seqLen <= c.maxPositions, `config: seqLen ${c.seqLen} exceeds maxPositions ${c.maxPositions}`);
  ensure(c.tokenizer !== '', 'config: tokenizer must be auto, train or a path');
}

// " (did you mean 'x'?)" for a key one edit away or differing only in case / dashes.
function suggest(key: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const hit = Object.keys(schema).find((k) => norm(k) === norm(key) || editDistance(k, key) <= 2);
  return hit ? ` (did you mean '${hit}'?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
