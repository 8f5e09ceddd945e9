// Test helpers: the wasm engine under test next to the reference engine, and tensors copied into each.
import type { Engine } from '../engine.js';
import { randnF32 } from '../reference/check.case.js';
import { createReferenceEngine } from '../reference/index.js';
import { createWasmEngine, type WasmEngineOptions } from './index.js';

/** The configurations every comparison runs under: threads and build, split across all threads however small. */
export const CONFIGS: WasmEngineOptions[] = [
  { threads: 1, build: 'relaxed' },
  { threads: 2, build: 'relaxed', splitAll: true },
  { threads: 2, build: 'simd', splitAll: true },
];

export const label = (o: WasmEngineOptions) => `${o.build}, ${o.threads} thread${o.threads === 1 ? '' : 's'}`;

export const reference = createReferenceEngine();

/** A tensor of e holding `data`. */
export function put(e: Engine, data: ArrayLike<number>): Float32Array {
  const t = e.alloc(data.length);
  t.set(data);
  return t;
}

export function putInt(e: Engine, data: ArrayLike<number>): Int32Array {
  const t = e.allocInt(data.length);
  t.set(data);
  return t;
}

/** The same normal draws in the reference engine and in e. */
export function pair(e: Engine, n: number, purpose: string, scale = 1): [Float32Array, Float32Array] {
  const data = randnF32(n, purpose, scale);
  return [put(reference, data), put(e, data)];
}

export { createWasmEngine };
