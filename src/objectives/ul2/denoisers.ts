// UL2's mixture of denoisers (Tay et al. 2022, "UL2: Unifying Language Learning Paradigms", §3.1 and the paper's
// final mixture): R = regular span corruption, X = extreme (long spans or a high rate), S = sequential (prefix LM).
// Written as a list "R:3:0.15,X:64:0.5,S", each R/X entry mode:meanSpanLength:noiseDensity, S optionally S:density.
import { ensure } from '../../errors.js';

export type Mode = 'R' | 'X' | 'S';

export interface Denoiser {
  mode: Mode;
  /** span corruption's mean span length (R, X) */
  meanSpanLength: number;
  /** share of tokens in noise spans (R, X); for S the prefix-LM density (0.5 = any split point) */
  noiseDensity: number;
}

/** The paper's seven denoisers: R(3, 0.15), R(8, 0.15), X(3, 0.5), X(8, 0.5), X(64, 0.15), X(64, 0.5), S. */
export const UL2_DENOISERS = 'R:3:0.15,R:8:0.15,X:3:0.5,X:8:0.5,X:64:0.15,X:64:0.5,S';

/** The mode tokens of the released UL2 checkpoints' prompts: R -> [NLU], X -> [NLG], S -> [S2S]. */
export const MODE_TOKENS: Record<Mode, string> = { R: '[NLU]', X: '[NLG]', S: '[S2S]' };

/** Parse a denoiser list; one-line PretextError on a bad entry. */
export function parseDenoisers(spec: string): Denoiser[] {
  const out = spec.split(',').map((entry) => {
    const parts = entry.trim().split(':');
    const mode = parts[0] as Mode;
    ensure(mode === 'R' || mode === 'X' || mode === 'S', `ul2: denoiser '${entry}' must start with R, X or S`);
    if (mode === 'S') {
      ensure(parts.length <= 2, `ul2: denoiser '${entry}': S takes at most a prefix-LM density (S or S:0.5)`);
      const d = parts.length === 2 ? Number(parts[1]) : 0.5;
      ensure(d >= 0 && d <= 0.5, `ul2: denoiser '${entry}': the prefix-LM density must be in [0, 0.5]`);
      return { mode, meanSpanLength: 0, noiseDensity: d };
    }
    ensure(
      parts.length === 3,
      `ul2: denoiser '${entry}' must be ${mode}:meanSpanLength:noiseDensity, e.g. ${mode}:3:0.15`,
    );
    const [mean, density] = [Number(parts[1]), Number(parts[2])];
    ensure(mean >= 1, `ul2: denoiser '${entry}': meanSpanLength must be >= 1`);
    ensure(density > 0 && density < 1, `ul2: denoiser '${entry}': noiseDensity must be in (0, 1)`);
    return { mode, meanSpanLength: mean, noiseDensity: density };
  });
  const s = out.findIndex((d) => d.mode === 'S');
  ensure(s < 0 || s === out.length - 1, 'ul2: the S denoiser (prefix LM) must be the last in the list, as in UL2');
  return out;
}

/** Cumulative sampling weights of `n` denoisers: uniform, or from a comma-separated list of n weights. */
export function parseRates(spec: string, n: number): Float64Array {
  const w = spec.trim() === '' ? new Array(n).fill(1) : spec.split(',').map(Number);
  ensure(w.length === n, `ul2: rates has ${w.length} weights for ${n} denoisers`);
  ensure(
    w.every((x) => Number.isFinite(x) && x >= 0) && w.some((x) => x > 0),
    'ul2: rates must be weights >= 0, not all 0',
  );
  const cdf = new Float64Array(n);
  let total = 0;
  w.forEach((x, i) => (cdf[i] = total += x));
  for (let i = 0; i < n; i++) cdf[i] /= total;
  return cdf;
}
