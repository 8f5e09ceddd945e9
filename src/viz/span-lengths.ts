// Span-length histograms against their theoretical distributions: SpanBERT's truncated geometric (words), T5's
// random segmentation (tokens, read off the span-corruption transform's targets) and BART's Poisson (words).
import type { TopLevelSpec } from 'vega-lite';
import { ensure } from '../errors.js';
import { Rng } from '../rng/rng.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { regularIds } from '../tokenize/vocab.js';
import { SPANBERT_GEOMETRIC_P, SPANBERT_MAX_SPAN, spanbertSpanLength } from '../objectives/mlm/spanbert.js';
import { noiseCounts } from '../objectives/span-corruption/noise-mask.js';
import { spanCorruptionObjective } from '../objectives/span-corruption/index.js';
import { drawSpanLengths, poissonCdf } from '../objectives/bart-infilling/noise.js';
import { config, SERIES } from './theme.js';

export interface SpanLengths {
  title: string;
  /** what the lengths count ('words' or 'tokens') and where they were read */
  unit: string;
  source: string;
  /** counts[k] = spans of length k */
  counts: number[];
  /** pmf[k] = theoretical probability of length k */
  pmf: number[];
}

const tally = (lengths: Iterable<number>, size: number): number[] => {
  const counts = new Array<number>(size).fill(0);
  for (const k of lengths) counts[k]++;
  return counts;
};

/** SpanBERT (Joshi et al. 2020): Geometric(0.2) truncated to [1, 10], from the mlm transform's span sampler. */
export function spanbertLengths(draws: number, seed: number): SpanLengths {
  const rng = Rng.of(seed, 0, 0, 'viz.span-lengths.spanbert');
  const q = 1 - SPANBERT_GEOMETRIC_P;
  const z = 1 - q ** SPANBERT_MAX_SPAN;
  const pmf = Array.from({ length: SPANBERT_MAX_SPAN + 1 }, (_, k) =>
    k === 0 ? 0 : (SPANBERT_GEOMETRIC_P * q ** (k - 1)) / z,
  );
  const counts = tally(
    Array.from({ length: draws }, () => spanbertSpanLength(rng)),
    SPANBERT_MAX_SPAN + 1,
  );
  return {
    title: 'SpanBERT: Geometric(0.2), 1..10',
    unit: 'words',
    source: `${draws} draws of the mlm span sampler`,
    counts,
    pmf,
  };
}

/** C(n, k) as a float (n small). */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * T5 span corruption on rows of `length` tokens: noise N and spans S from T5's rounding; T5 cuts N into S non-empty
 * spans uniformly (random_segmentation), so P(len = k) = C(N - k - 1, S - 2) / C(N - 1, S - 1).
 * Lengths are read from the transform's targets: the tokens between consecutive sentinels.
 */
export function t5Lengths(rows: number, length: number, vocab: VocabInfo, seed: number): SpanLengths {
  ensure(vocab.eosId !== undefined, 'span lengths: the T5 vocabulary needs an EOS id');
  const opts = spanCorruptionObjective.resolve({});
  const { noise: N, spans: S } = noiseCounts(length, opts.noiseDensity, opts.meanSpanLength);
  const filler = regularIds(vocab)[0];
  const row = { input_ids: new Int32Array(length).fill(filler) };
  const lengths: number[] = [];
  for (const ex of spanCorruptionObjective.transform(
    Array.from({ length: rows }, () => row),
    opts,
    { seed, epoch: 0, vocab },
  )) {
    let run = -1; // -1 before the first sentinel
    for (const id of ex.labels!) {
      if (id === filler) run++;
      else {
        if (run >= 0) lengths.push(run);
        run = 0; // a sentinel (or the closing EOS)
      }
    }
  }
  const pmf = Array.from({ length: N - S + 2 }, (_, k) =>
    k === 0 ? 0 : S === 1 ? +(k === N) : choose(N - k - 1, S - 2) / choose(N - 1, S - 1),
  );
  return {
    title: `T5: ${N} noise tokens cut into ${S} spans`,
    unit: 'tokens',
    source: `${rows} rows of ${length} tokens through span-corruption`,
    counts: tally(lengths, pmf.length),
    pmf,
  };
}

/** BART text infilling: Poisson(lambda) span lengths in words (0 = an insertion), from the transform's sampler. */
export function bartLengths(draws: number, lambda: number, seed: number): SpanLengths {
  const cdf = poissonCdf(lambda);
  const pmf = Array.from(cdf, (c, k) => c - (k === 0 ? 0 : cdf[k - 1]));
  const lengths: number[] = [];
  const rng = Rng.of(seed, 0, 0, 'viz.span-lengths.bart');
  while (lengths.length < draws) {
    const drawn = drawSpanLengths(1000, cdf, rng);
    lengths.push(...drawn.slice(0, -1)); // the last one is cut to fit the budget
  }
  return {
    title: `BART: Poisson(${lambda}), 0 = an insertion`,
    unit: 'words',
    source: `${lengths.length} draws of the bart-infilling span sampler`,
    counts: tally(lengths, pmf.length),
    pmf,
  };
}

const mean = (w: number[]) => w.reduce((a, x, k) => a + x * k, 0) / w.reduce((a, x) => a + x, 0);

function panel(s: SpanLengths): object {
  const total = s.counts.reduce((a, b) => a + b, 0);
  const first = s.pmf[0] > 0 || s.counts[0] > 0 ? 0 : 1;
  let last = s.pmf.length - 1; // drop the far tail where both are under 0.1% (shares stay over all spans)
  while (last > first && s.pmf[last] < 1e-3 && s.counts[last] / total < 1e-3) last--;
  const values = s.pmf.map((p, k) => ({ length: k, measured: s.counts[k] / total, theory: p })).slice(first, last + 1);
  const x = { field: 'length', type: 'ordinal', title: `span length (${s.unit})`, axis: { labelAngle: 0 } };
  const color = {
    scale: { domain: ['measured', 'theoretical'], range: [SERIES[0], 'black'] },
    legend: { title: null },
  };
  return {
    title: {
      text: s.title,
      subtitle: [`mean ${mean(s.counts).toFixed(2)} measured, ${mean(s.pmf).toFixed(2)} in theory`, s.source],
      fontSize: 13,
    },
    width: Math.max(160, values.length * 22),
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.8 } },
        encoding: {
          x,
          y: { field: 'measured', type: 'quantitative', title: 'share of spans', axis: { format: '.0%' } },
          color: { ...color, datum: 'measured' },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: { field: 'theory', type: 'quantitative' }, color: { ...color, datum: 'theoretical' } },
      },
      {
        mark: { type: 'point', filled: true, size: 30 },
        encoding: { x, y: { field: 'theory', type: 'quantitative' }, color: { ...color, datum: 'theoretical' } },
      },
    ],
  };
}

/** One histogram per sampler, side by side, with the theoretical pmf as a black line. */
export function spanLengthsFigure(series: SpanLengths[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Span lengths: measured vs theoretical',
      subtitle: 'bars: share of spans the samplers drew; line: the distribution they implement',
    },
    config,
    hconcat: series.map(panel),
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}
