import { afterAll } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { printReport, type GoldenReport } from './goldens.case.js';
import { electraSimcseGoldenSuite } from './goldens-electra-simcse.case.js';

const report: GoldenReport = {};
electraSimcseGoldenSuite('reference', createReferenceEngine, report);
afterAll(() => printReport('reference', report));
