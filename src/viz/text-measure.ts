// Text widths for vega's layout, from DejaVu Sans's own advance widths (the font PNGs are drawn with), instead of
// vega's canvas-less estimate (0.8 em a character), which leaves wide margins and misplaces labels.
import { BOLD, CHARS, REGULAR } from './dejavu-widths.js';

const index = new Map(Array.from(CHARS, (c, i) => [c, i]));
const FALLBACK_EM = 0.62;

/** Width in px of `text` at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let em = 0;
  for (const c of text) {
    const i = index.get(c);
    em += i === undefined ? FALLBACK_EM : table[i];
  }
  return em * fontSize;
}

/** The signature vega's textMetrics.width expects: a scenegraph text item and (optionally) one line of it. */
export function itemTextWidth(
  item: { text?: unknown; fontSize?: number; fontWeight?: string | number },
  text?: unknown,
): number {
  const s = text ?? item.text;
  const line = Array.isArray(s)
    ? s.map(String).reduce((a, b) => (a.length >= b.length ? a : b), '')
    : s == null
      ? ''
      : String(s);
  const w = item.fontWeight;
  return textWidth(
    line,
    item.fontSize ?? 11,
    w === 'bold' || (typeof w === 'number' && w >= 600) || w === '600' || w === '700',
  );
}
