// ELECTRA's replaced-token detection on one row: the originals, what the discriminator saw (generator samples at the
// masked positions; a sample equal to the original is not "replaced", spec §6) and its P(replaced) per token.
import type { TopLevelSpec } from 'vega-lite';
import { ensure, PretextError } from '../errors.js';
import type { Model } from '../model/index.js';
import { tokenGridFigure, type GridCell } from './token-grid.js';

/** The input of the figure (docs/figures.md): equal-length token lists and scores. */
export interface ElectraScores {
  /** the row's tokens before corruption */
  original: string[];
  /** the discriminator's input: the originals with the generator's samples written at the masked positions */
  corrupted: string[];
  /** the discriminator's sigmoid output per position: P(this token was replaced) */
  scores: number[];
  /** where the scores came from (a run, a checkpoint), printed under the title */
  source?: string;
}

/** Checks the shape; one-line PretextError naming the first bad field. */
export function checkElectraScores(json: unknown): ElectraScores {
  const bad = (what: string): never => {
    throw new PretextError(`electra scores: ${what}`);
  };
  const o = json as ElectraScores;
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    bad('expected a JSON object {original, corrupted, scores}');
  for (const k of ['original', 'corrupted'] as const)
    if (!Array.isArray(o[k]) || o[k].length === 0 || o[k].some((t) => typeof t !== 'string'))
      bad(`'${k}' must be a non-empty array of token strings`);
  if (!Array.isArray(o.scores) || o.scores.some((s) => typeof s !== 'number' || !(s >= 0 && s <= 1)))
    bad("'scores' must be an array of numbers in [0, 1]");
  if (o.corrupted.length !== o.original.length || o.scores.length !== o.original.length)
    bad(
      `'original', 'corrupted' and 'scores' must have the same length (got ${o.original.length}, ${o.corrupted.length}, ${o.scores.length})`,
    );
  if (o.source !== undefined && typeof o.source !== 'string') bad("'source' must be a string");
  return o;
}

/** An ELECTRA discriminator's P(replaced) per token of `ids` (sigmoid of its logit), one row, no padding. */
export function replacedProbabilities(discriminator: Model, ids: Int32Array): Float64Array {
  const out = discriminator.forward(
    { batchSize: 1, length: ids.length, input_ids: ids, attention_mask: new Uint8Array(ids.length).fill(1) },
    { logits: true },
  );
  const logits = out.logits;
  ensure(
    logits !== undefined && logits.length === ids.length,
    `electra scores: the model gave ${logits?.length ?? 'no'} logits for ${ids.length} tokens (an ElectraForPreTraining discriminator gives one per token)`,
  );
  return Float64Array.from(logits, (z) => 1 / (1 + Math.exp(-z)));
}

/** Detection at threshold 0.5: replaced tokens caught, originals passed. */
export function detection(s: ElectraScores): { replaced: number; caught: number; originals: number; passed: number } {
  let replaced = 0,
    caught = 0,
    originals = 0,
    passed = 0;
  s.original.forEach((t, i) => {
    if (s.corrupted[i] !== t) {
      replaced++;
      if (s.scores[i] > 0.5) caught++;
    } else {
      originals++;
      if (s.scores[i] <= 0.5) passed++;
    }
  });
  return { replaced, caught, originals, passed };
}

const NAMES = { context: 'original token', replaced: 'replaced by the generator' };

export function electraScoresFigure(input: ElectraScores): TopLevelSpec {
  const s = checkElectraScores(input);
  const d = detection(s);
  const original: GridCell[] = s.original.map((text) => ({ text, role: 'context' }));
  const seen: GridCell[] = s.corrupted.map((text, i) => ({
    text,
    role: text !== s.original[i] ? 'replaced' : 'context',
  }));
  const scores: GridCell[] = s.scores.map((p) => ({ text: p.toFixed(2), role: 'score', score: p }));
  const above = s.scores.filter((p) => p > 0.5).length;
  const result =
    d.replaced > 0
      ? `at 0.5: ${d.caught} of ${d.replaced} replaced tokens caught, ${d.passed} of ${d.originals} originals passed`
      : `${above} of ${s.scores.length} tokens score above 0.5 (no token differs from the original, so none is marked replaced)`;
  return tokenGridFigure(
    [
      {
        aligned: true,
        rows: [
          { label: 'original', cells: original },
          { label: 'discriminator input', cells: seen },
          { label: 'P(replaced)', cells: scores },
        ],
      },
    ],
    NAMES,
    'ELECTRA: replaced-token detection',
    [result, ...(s.source ? [s.source] : [])],
  );
}
