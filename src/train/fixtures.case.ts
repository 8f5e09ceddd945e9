// Shared by the train tests: a small slice of Brown, a tokenizer trained on it, and a config for a very small model.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBrown } from '../../cli/io/brown-files.js';
import { resolveConfig, type Config } from '../config/index.js';
import type { Document } from '../corpus/document.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import type { Engine } from '../engine/engine.js';
import { trainFamilyTokenizer, type TokenizerFamily } from '../tokenize/families.js';
import type { Tokenizer } from '../tokenize/index.js';
import { prepareRun, type PreparedRun } from './run.js';
import { resolveTask } from './task.js';
import { tokenizeSplit, type TextUnit } from './tokens.js';

let docs: Document[] | undefined;

/** Whether the wasm kernels are built (npm run build:wasm). */
export const wasmBuilt = existsSync(
  fileURLToPath(new URL('../../dist/src/engine/wasm/engine.simd.wasm', import.meta.url)),
);

/** The wasm engine on one thread when built (fast), else the reference engine. */
export async function testEngine(): Promise<Engine> {
  if (!wasmBuilt) return createReferenceEngine();
  const { createWasmEngine } = await import('../engine/wasm/index.js');
  return createWasmEngine({ threads: 1, maxMemoryMB: 512 });
}

/** The first n Brown documents (ca01 ...). */
export async function brownSlice(n = 40): Promise<Document[]> {
  if (docs && docs.length >= n) return docs.slice(0, n);
  const out: Document[] = [];
  for await (const d of loadBrown()) {
    out.push(d);
    if (out.length === n) break;
  }
  return (docs = out);
}

/** A very small model on a Brown slice: C 32, 2 layers, T 32, B 8. */
export function smallConfig(objective: string, values: Partial<Config> = {}): Readonly<Config> {
  return resolveConfig({
    source: 'test',
    values: {
      objective,
      vocabSize: 600,
      hiddenSize: 32,
      numLayers: 2,
      numHeads: 2,
      ffnSize: 64,
      seqLen: 32,
      maxPositions: 32,
      batchSize: 8,
      dropout: 0,
      lr: 1e-2,
      warmupRatio: 0.1,
      steps: 40,
      evalEvery: 20,
      evalBatches: 2,
      saveEvery: 0,
      validationFraction: 0.1,
      ...values,
    },
  });
}

const tokenizers = new Map<string, Tokenizer>();

/** A tokenizer of the family trained on the slice's texts in `unit` (sentences, or whole documents). */
export function sliceTokenizer(
  family: TokenizerFamily,
  d: Document[],
  vocabSize = 600,
  unit: TextUnit = family === 'bert' ? 'sentence' : 'document',
): Tokenizer {
  const key = `${family}:${unit}:${d.length}:${vocabSize}`;
  let t = tokenizers.get(key);
  if (!t) {
    t = trainFamilyTokenizer(
      unit === 'sentence' ? d.flatMap((x) => x.sentences) : d.map((x) => x.sentences.join(' ')),
      { family, vocabSize },
    );
    tokenizers.set(key, t);
  }
  return t;
}

/** Tokenizer + split + model + trainer for `config` on the slice. */
export async function smallRun(
  config: Readonly<Config>,
  engine?: Engine,
  n = 40,
): Promise<PreparedRun & { tokenizer: Tokenizer }> {
  const d = await brownSlice(n);
  const task = resolveTask(config);
  const tokenizer = sliceTokenizer(task.choice.tokenizer, d, config.vocabSize, task.unit);
  const data = tokenizeSplit(d, tokenizer, task.unit, {
    seed: config.splitSeed,
    validationFraction: config.validationFraction,
  });
  return { ...prepareRun(config, tokenizer.vocabInfo(), data, engine ?? (await testEngine())), tokenizer };
}
