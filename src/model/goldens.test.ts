import { afterAll } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { goldenSuite, printReport, type GoldenReport } from './goldens.case.js';

const report: GoldenReport = {};
goldenSuite('reference', createReferenceEngine, report);
afterAll(() => printReport('reference', report));
