// results.json of a comparison: the spec, one record per finished (objective, seed) run, the objectives that could
// not be trained (with the reason), and the summary (intervals over seeds, the table's rows, the claims' verdicts)
// that the report renders. A continued comparison keeps the records of finished runs and skips them.
import { PretextError } from '../errors.js';
import type { ExperimentSpec } from './spec.js';

/** One validation point of a run: after `tokens` tokens seen. */
export interface CurvePoint {
  step: number;
  tokens: number;
  val_loss: number;
  val_accuracy?: number;
  val_ppl?: number;
  /** the model family's other validation figures by name (disc_accuracy, rtd_auc, span_accuracy, retrieval, ...) */
  figures?: Record<string, number>;
}

export interface RunRecord {
  id: string;
  objective: string;
  seed: number;
  /** HF architecture of the model trained */
  architecture: string;
  parameters: number;
  /** what the run consumed: every run reports all three, whichever the budget bounds */
  trained: { steps: number; tokens: number; seconds: number; flops: number };
  /** share of the (non-padding) input positions of training batches that carry a loss, measured on a few batches */
  lossShare: number;
  /** the same per loss term: mlm / lm (predicted tokens), pair (one [CLS] per row), rtd (every real token), contrastive (one vector per row) */
  lossShares?: Record<string, number>;
  /** training loss log: [step, loss] pairs */
  trainLoss: [number, number][];
  curve: CurvePoint[];
  /** headline figure of each evaluation task (accuracy, perplexity, ...) and its baselines */
  evals: Record<string, EvalFigure>;
  /** a generated continuation of a held-out prompt (CLM: sampling; MLM: mask-predict) */
  sample?: { method: string; prompt: string; completion: string };
  /** the run folder (a pretext train run: pretext eval --run works on it) */
  dir: string;
  finishedAt: string;
}

export interface EvalFigure {
  metric: string;
  value: number;
  baselines?: Record<string, number>;
  /** secondary figures (same-genre NSP control, ...) */
  extra?: Record<string, number>;
}

export interface Results {
  format: 'pretext-compare';
  version: 1;
  spec: ExperimentSpec;
  runs: Record<string, RunRecord>;
  /** objective -> why it was not trained */
  skipped: Record<string, string>;
  summary?: unknown;
  /** the command line of the invocation that wrote the report */
  command?: string;
  updatedAt: string;
}

export function emptyResults(spec: ExperimentSpec, now: string): Results {
  return { format: 'pretext-compare', version: 1, spec, runs: {}, skipped: {}, updatedAt: now };
}

/** Parse a results.json; throws one line when it is not one. */
export function parseResults(text: string, where: string): Results {
  let json: Results;
  try {
    json = JSON.parse(text) as Results;
  } catch {
    throw new PretextError(`${where}: not valid JSON`);
  }
  if (json?.format !== 'pretext-compare' || json.version !== 1 || typeof json.runs !== 'object' || !json.spec)
    throw new PretextError(`${where}: not a pretext compare results file (format pretext-compare, version 1)`);
  json.skipped ??= {};
  return json;
}
