import { existsSync } from 'node:fs';
import { afterAll } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { goldenSuite, type GoldenReport } from './goldens.case.js';

const report: GoldenReport = {};
goldenSuite('reference', createReferenceEngine, report);

afterAll(() => {
  const lines = Object.entries(report).map(([k, v]) => `  ${k.padEnd(36)} ${v.toExponential(2)}`);
  console.log(`worst relative errors vs PyTorch (reference engine):\n${lines.join('\n')}`);
});

// Unused import guard for the wasm variant in wasm-goldens.test.ts.
void existsSync;
