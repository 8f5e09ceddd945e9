// The look every figure shares: one font (DejaVu Sans, which PNG rendering loads from npm), titles, axes, colours.
// Role colours echo the terminal view of `pretext show` (masked yellow, random magenta, kept green, ...).
import type { Config } from 'vega-lite';

export const FONT = 'DejaVu Sans';

export const config: Config = {
  font: FONT,
  background: 'white',
  padding: 16,
  title: { fontSize: 16, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 12, subtitleColor: '#555', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titlePadding: 8, gridColor: '#e6e6e6' },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    orient: 'bottom',
    direction: 'horizontal',
    columns: 4,
    symbolType: 'square',
  },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 'bold' },
  view: { stroke: null },
  concat: { spacing: 36 },
};

/** A categorical palette for series (runs, objectives, samplers): Tableau 10. */
export const SERIES = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** Fill colour per token role (the roles of the per-token view). */
export const ROLE_FILL: Record<string, string> = {
  masked: '#f2c744',
  random: '#b5489f',
  kept: '#59a14f',
  replaced: '#e15759',
  target: '#4e79a7',
  sentinel: '#2ca6b8',
  special: '#c9ced6',
  segmentB: '#f6d7b0',
  context: '#eef0f3',
  pad: '#ffffff',
};

/** Text colour on a role's fill: white on the dark fills. */
export const ROLE_TEXT: Record<string, string> = {
  random: 'white',
  kept: 'white',
  replaced: 'white',
  target: 'white',
  sentinel: 'white',
};
