// Test helpers: is an SVG well formed, and what data does it hold (vega writes each mark's data in aria-label).
import { XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** Asserts `svg` parses as XML with an <svg> root and a positive size. */
export function expectWellFormed(svg: string): void {
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const [, w, h] = svg.match(/^<svg [^>]*width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/) ?? [];
  expect(Number(w)).toBeGreaterThan(50);
  expect(Number(h)).toBeGreaterThan(50);
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** aria-labels of the marks of one kind ('bar', 'rect', 'line', 'circle', 'text', 'tick', 'rule', 'point'). */
export function marks(svg: string, kind: string): string[] {
  const re = new RegExp(
    `<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${kind}"|<text aria-label="([^"]*)"[^>]*aria-roledescription="${kind}"|<line aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${kind}"`,
    'g',
  );
  return [...svg.matchAll(re)].map((m) => unescapeHtml(m[1] ?? m[2] ?? m[3]));
}

/** Every string drawn as text (titles, axis labels, legend labels, text marks). */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) =>
    unescapeHtml(
      m[1]
        .replace(/<tspan[^>]*>/g, '')
        .replace(/<\/tspan>/g, ' ')
        .trim(),
    ),
  );
}
