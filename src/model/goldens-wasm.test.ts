// The PyTorch golden suite on the wasm engine (2 threads, relaxed-simd build where the runtime has it), when its
// compiled kernels exist (`npm run build:wasm`); skipped with the reason otherwise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { goldenSuite, printReport, type GoldenReport } from './goldens.case.js';

const built = ['../engine/wasm/index.ts', '../../dist/src/engine/wasm/engine.simd.wasm'].every((p) =>
  existsSync(fileURLToPath(new URL(p, import.meta.url))),
);

if (built) {
  let engine: Engine;
  const report: GoldenReport = {};
  beforeAll(async () => {
    const wasm = '../engine/wasm/index.js';
    const { createWasmEngine } = (await import(/* @vite-ignore */ wasm)) as {
      createWasmEngine: (o: { threads: number }) => Promise<Engine>;
    };
    engine = await createWasmEngine({ threads: 2 });
  });
  afterAll(() => {
    printReport('wasm', report);
    engine?.dispose();
  });
  goldenSuite('wasm', () => engine, report);
} else {
  describe('goldens vs PyTorch (wasm engine)', () => {
    it.skip('skipped: the wasm engine or its compiled kernels (npm run build:wasm) are absent', () => {});
  });
}
