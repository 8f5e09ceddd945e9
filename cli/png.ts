// SVG -> PNG through resvg with DejaVu Sans read from the npm package dejavu-fonts-ttf: no system fonts are used,
// so a PNG looks the same on a machine without any font installed.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PretextError } from '../src/errors.js';
import { FONT } from '../src/viz/theme.js';

let fonts: string[] | undefined;

/** Paths of DejaVu Sans regular and bold in node_modules. */
export function fontFiles(): string[] {
  if (!fonts) {
    let dir: string;
    try {
      dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    } catch {
      throw new PretextError('PNG output needs the npm package dejavu-fonts-ttf (npm install dejavu-fonts-ttf)');
    }
    fonts = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(dir, f));
    for (const f of fonts)
      if (!existsSync(f)) throw new PretextError(`PNG output needs ${f}; reinstall dejavu-fonts-ttf`);
  }
  return fonts;
}

export interface Raster {
  png: Buffer;
  width: number;
  height: number;
  /** RGBA, row-major */
  pixels: Buffer;
}

/** Rasterise an SVG document at `scale` (2 = sharp on high-density screens), on white. */
export function rasterize(svg: string, scale = 2): Raster {
  const r = new Resvg(svg, {
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  const img = r.render();
  return { png: img.asPng(), width: img.width, height: img.height, pixels: img.pixels };
}

export function svgToPng(svg: string, scale = 2): Buffer {
  return rasterize(svg, scale).png;
}
