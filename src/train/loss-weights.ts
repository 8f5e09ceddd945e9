// The lossWeights knob: "mlm=1,pair=0.5" -> { mlm: 1, pair: 0.5 }, names checked against the model family's losses.
import { ensure } from '../errors.js';

/** Parse "name=w,..." ('' = every weight 1); names must be among `losses`, weights finite and >= 0. */
export function parseLossWeights(text: string, losses: readonly string[], family: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value, extra] = part.split('=').map((s) => s.trim());
    const w = Number(value);
    ensure(
      extra === undefined && value !== undefined && value !== '' && Number.isFinite(w) && w >= 0,
      `lossWeights: '${part}' is not name=weight with a weight >= 0`,
    );
    ensure(
      losses.includes(name),
      `lossWeights: the ${family} family has the losses ${losses.join(', ')}, not '${name}'`,
    );
    out[name] = w;
  }
  return out;
}
