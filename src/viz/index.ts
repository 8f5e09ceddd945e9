// Figures as data -> vega-lite spec, and spec -> SVG string (renderSvg), for the CLI (`pretext viz`) and reports,
// which inline the SVG. Pure: no file system; PNG rasterisation (resvg + an npm font) lives in cli/png.ts.
export { renderSvg } from './render.js';
export {
  attentionFigure,
  bidirectionalVsCausal,
  packedPanel,
  prefixLmPanel,
  type AttentionPanel,
} from './attention.js';
export { maskSplitFigure, measureMaskSplit, type MaskSplit } from './mask-split.js';
export { bartLengths, spanbertLengths, spanLengthsFigure, t5Lengths, type SpanLengths } from './span-lengths.js';
export { lossCurvesFigure, lossPoints, type LossRun } from './loss-curves.js';
export {
  checkProbeResults,
  probeAccuracyFigure,
  summarizeProbe,
  type ProbeResults,
  type ProbeSummary,
} from './probe-accuracy.js';
export { checkElectraScores, detection, electraScoresFigure, type ElectraScores } from './electra-scores.js';
export {
  gridBlocksOf,
  maskRowsFigure,
  pairsFigure,
  seedsFigure,
  seq2seqFigure,
  strategiesFigure,
  targetsFigure,
} from './example-grids.js';
export { tokenGridFigure, type GridBlock, type GridCell, type GridRow } from './token-grid.js';
export { tokenLabeller, type TokenLabel } from './tokens.js';
