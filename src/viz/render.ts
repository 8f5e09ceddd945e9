// Chart spec -> SVG string: vega-lite compiles the spec to vega, vega's headless view renders it (no DOM, no IO).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { itemTextWidth } from './text-measure.js';

// vega's typings omit textMetrics; a user-set width function is supported (vega-scenegraph util/text.js).
(vega as unknown as { textMetrics: { width: unknown } }).textMetrics.width = itemTextWidth;

/** The SVG document of a vega-lite spec (inline data only). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
