// Engine creation for train, predict and generate, and the engine flags of predict and generate.
import type { Engine } from '../src/engine/engine.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { createWasmEngine } from '../src/engine/wasm/index.js';
import { PretextError } from '../src/errors.js';
import type { FlagSpec, ParsedArgs } from './args.js';

export const inferenceFlags: FlagSpec[] = [
  { name: 'engine', type: 'string', default: 'wasm', choices: ['wasm', 'reference'], help: 'compute engine' },
  { name: 'threads', type: 'int', default: 1, help: 'wasm engine threads' },
];

/** The named engine; a missing wasm build is a one-line error. */
export async function createEngine(name: 'wasm' | 'reference', threads: number): Promise<Engine> {
  if (name === 'reference') return createReferenceEngine();
  if (!(threads >= 1 && threads <= 64)) throw new PretextError(`--threads must be in [1, 64], got ${threads}`);
  try {
    return await createWasmEngine({ threads });
  } catch (e) {
    throw new PretextError(`cannot start the wasm engine (${(e as Error).message.split('\n')[0]}); build it (npm run build:wasm) or pass --engine reference`);
  }
}

export function inferenceEngine(args: ParsedArgs): Promise<Engine> {
  return createEngine(args.flags.engine as 'wasm' | 'reference', args.flags.threads as number);
}
