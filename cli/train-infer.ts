// Engine creation for train, predict and generate; the engine flags and saved-model loading of predict and generate.
import { availableParallelism } from 'node:os';
import type { Engine } from '../src/engine/engine.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { createWasmEngine } from '../src/engine/wasm/index.js';
import { PretextError } from '../src/errors.js';
import type { Model, ModelConfig } from '../src/model/index.js';
import type { Tokenizer } from '../src/tokenize/index.js';
import type { FlagSpec, ParsedArgs } from './args.js';
import { openSavedModel } from './train-run.js';

type ModelType = ModelConfig['model_type'];

export const inferenceFlags: FlagSpec[] = [
  { name: 'engine', type: 'string', default: 'wasm', choices: ['wasm', 'reference'], help: 'compute engine' },
  { name: 'threads', type: 'int', default: 1, help: 'wasm engine threads' },
];

/** The named engine; a missing wasm build is a one-line error. */
export async function createEngine(name: 'wasm' | 'reference', threads: number): Promise<Engine> {
  if (name === 'reference') return createReferenceEngine();
  if (!(threads >= 1 && threads <= 64)) throw new PretextError(`--threads must be in [1, 64], got ${threads}`);
  const cores = availableParallelism();
  if (threads > cores)
    process.stderr.write(`pretext: --threads ${threads} is more than the ${cores} cores here; using ${cores}\n`);
  try {
    return await createWasmEngine({ threads: Math.min(threads, cores) });
  } catch (e) {
    throw new PretextError(
      `cannot start the wasm engine (${(e as Error).message.split('\n')[0]}); build it (npm run build:wasm) or pass --engine reference`,
    );
  }
}

export function inferenceEngine(args: ParsedArgs): Promise<Engine> {
  return createEngine(args.flags.engine as 'wasm' | 'reference', args.flags.threads as number);
}

/** The --run folder; a one-line error when it is missing. */
export function requireRun(args: ParsedArgs): string {
  const run = args.flags.run as string | undefined;
  if (!run) throw new PretextError('--run is required (a folder written by pretext train)');
  return run;
}

/**
 * Open the newest checkpoint of --run, require its model type (null: any), load it on the engine the flags name, run
 * `use`, and release the engine. `wrongType` is the one-line error for a run of the other kind.
 */
export async function withSavedModel<T>(
  args: ParsedArgs,
  modelType: ModelType | readonly ModelType[] | null,
  wrongType: (run: string, found: string) => string,
  use: (model: Model, tokenizer: Tokenizer) => T,
): Promise<T> {
  const run = requireRun(args);
  const saved = openSavedModel(run);
  if (modelType !== null && ![modelType].flat().includes(saved.config.model_type))
    throw new PretextError(wrongType(run, saved.config.model_type));
  const engine = await inferenceEngine(args);
  try {
    return use(saved.load(engine), saved.tokenizer);
  } finally {
    engine.dispose();
  }
}
