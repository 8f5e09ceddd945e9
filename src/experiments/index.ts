// Public API of src/experiments: a comparison spec, its runner, results.json, intervals, claims and the report.
export {
  budgetOf,
  parseDuration,
  parseObjectives,
  planRuns,
  replanSteps,
  runId,
  seedsOf,
  sharedSetup,
  stepsForTokens,
  trainingFlops,
  type Budget,
  type BudgetKind,
  type ExperimentSpec,
  type PlannedRun,
} from './spec.js';
export {
  emptyResults,
  parseResults,
  type CurvePoint,
  type EvalFigure,
  type Results,
  type RunRecord,
} from './results.js';
export { ObjectiveRefused, runExperiment, type RunnerIo } from './runner.js';
export {
  laterKeyShare,
  metricTable,
  rangeVerdict,
  runFigures,
  verdictOf,
  type Interval,
  type MetricTable,
  type Verdict,
} from './summary.js';
export { checkClaims, type Claim } from './claims.js';
export {
  comparisonRows,
  formatNumber,
  valueAt,
  type CellPart,
  type ComparisonSummary,
  type NumberRef,
  type TableRow,
} from './table.js';
export { renderReport, type ReportFigure } from './report-html.js';
export { cellText, renderMarkdown } from './report-markdown.js';
