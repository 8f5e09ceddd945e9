// The textbook's claims (the note pretext grew from, and the papers behind it), each checked on the measured
// intervals. A claim is listed when the comparison includes its objectives; one whose objective could not be
// trained says so. Where the measurement goes the other way, the note says it plainly. Two guards: a side whose
// every seed sits at its majority (or chance) baseline has not learned the task at this scale, and a side whose
// seeds all give one value has no interval: neither decides a claim (inconclusive, said why).
import type { Results } from './results.js';
import { rangeVerdict, verdictOf, type Interval, type MetricTable, type Verdict } from './summary.js';

export interface Claim {
  id: string;
  claim: string;
  source: string;
  /** [objective, figure key] compared: the first should be the higher (or, for a range, the only one) */
  evidence: [string, string][];
  verdict: Verdict;
  note: string;
}

interface ClaimDef {
  id: string;
  claim: string;
  source: string;
  /** the objective ids that can stand for each side (first present wins) */
  sides: string[][];
  keys: string[];
  /** for a single-sided claim: the range the figure should lie in */
  range?: [number, number];
  /** the first side should be the lower (alignment, uniformity: lower is better) */
  lower?: boolean;
  /** the claim holds per unit of compute: a win with more than 10% more FLOPs does not count */
  sameCompute?: boolean;
}

const PROBES = ['probe-genre', 'probe-sentiment'];
const SIMCSE = 'SimCSE, Gao et al. 2021; alignment and uniformity: Wang & Isola 2020';

const DEFS: ClaimDef[] = [
  {
    id: 'signal-clm',
    claim: 'Autoregressive: every token carries a loss',
    source: 'the comparison table (training signal)',
    sides: [['clm']],
    keys: ['lossShare'],
    range: [0.9, 1],
  },
  {
    id: 'signal-mlm',
    claim: 'Masked: about 15% of tokens carry a loss',
    source: 'the comparison table (training signal); BERT, Devlin et al. 2019',
    sides: [['mlm']],
    keys: ['lossShare'],
    range: [0.1, 0.2],
  },
  {
    id: 'signal-electra',
    claim: 'ELECTRA learns from every token (the discriminator labels all of them, not only the masked 15%)',
    source: 'ELECTRA, Clark et al. 2020',
    sides: [['electra']],
    keys: ['lossShare'],
    range: [0.9, 1],
  },
  ...PROBES.map((p) => ({
    id: `understanding-${p}`,
    claim: `Masked is stronger at understanding than autoregressive (${p})`,
    source: 'the comparison table (understanding)',
    sides: [['mlm'], ['clm']],
    keys: [p, p],
  })),
  {
    id: 'nsp-vs-sop',
    claim: 'NSP is the easier task: higher pair accuracy than SOP',
    source: 'ALBERT, Lan et al. 2020',
    sides: [
      ['nsp', 'mlm+nsp'],
      ['sop', 'mlm+sop'],
    ],
    keys: ['pair', 'pair'],
  },
  {
    id: 'nsp-too-easy',
    claim: 'NSP is too easy: random-document negatives are told apart more often than same-genre ones',
    source: 'RoBERTa, Liu et al. 2019; ALBERT',
    sides: [
      ['nsp', 'mlm+nsp'],
      ['nsp', 'mlm+nsp'],
    ],
    keys: ['pair', 'pair.sameGenre'],
  },
  ...PROBES.map((p) => ({
    id: `roberta-${p}`,
    claim: `Removing NSP helps: MLM alone beats MLM+NSP (${p})`,
    source: 'RoBERTa, Liu et al. 2019',
    sides: [['mlm'], ['mlm+nsp']],
    keys: [p, p],
  })),
  ...PROBES.map((p) => ({
    id: `electra-${p}`,
    claim: `ELECTRA beats MLM for the same compute (${p}, discriminator vs MLM encoder)`,
    source: 'ELECTRA, Clark et al. 2020',
    sides: [['electra'], ['mlm']],
    keys: [p, p],
    sameCompute: true,
  })),
  {
    id: 'simcse-retrieval',
    claim: 'SimCSE sentence vectors beat mean-pooled MLM vectors: retrieval of the next sentence',
    source: SIMCSE,
    sides: [['simcse'], ['mlm']],
    keys: ['sentence-pairs', 'sentence-pairs'],
  },
  {
    id: 'simcse-uniformity',
    claim: 'SimCSE spreads sentence vectors more uniformly than mean-pooled MLM (lower uniformity)',
    source: SIMCSE,
    sides: [['simcse'], ['mlm']],
    keys: ['sentence-pairs.uniformity', 'sentence-pairs.uniformity'],
    lower: true,
  },
  ...PROBES.map((p) => ({
    id: `simcse-${p}`,
    claim: `SimCSE sentence vectors beat mean-pooled MLM vectors (${p})`,
    source: SIMCSE,
    sides: [['simcse'], ['mlm']],
    keys: [p, p],
  })),
];

/** The baseline a figure must clear to count as learned: the majority class (probes, pairs) or chance (retrieval, AUC). */
function floorOf(metrics: MetricTable, objective: string, key: string): { name: string; value: number } | undefined {
  for (const name of ['majority', 'chance']) {
    const b = metrics[objective]?.[`${key}:${name}`];
    if (b) return { name, value: b.max };
  }
  return undefined;
}

// Why the two sides cannot decide the claim (`block`), and what the note should say anyway (`info`). A side at its
// baseline on every seed has not learned the task: it cannot be the winner, and two such sides decide nothing; a side
// whose seeds all agree (and not at a baseline) has no interval to compare.
function guardOf(
  d: ClaimDef,
  verdict: Verdict,
  evidence: [string, string][],
  xs: (Interval | undefined)[],
  metrics: MetricTable,
): { block: string[]; info: string[] } {
  const g = { block: [] as string[], info: [] as string[] };
  if (d.range || xs.some((x) => !x)) return g;
  const winner = verdict === 'reproduced' ? 0 : verdict === 'not reproduced at this scale' ? 1 : -1;
  const atFloor = evidence.map(([o, k], i) => {
    const floor = d.lower ? undefined : floorOf(metrics, o, k);
    return floor && (xs[i] as Interval).max <= floor.value + 1e-9
      ? `${o} ${k} is at its ${floor.name} baseline (${floor.value.toFixed(3)}) on every seed: not learned at this scale`
      : undefined;
  });
  evidence.forEach(([o, k], i) => {
    const x = xs[i] as Interval;
    if (atFloor[i]) (atFloor.every(Boolean) || i === winner ? g.block : g.info).push(atFloor[i] as string);
    else if (x.seeds > 1 && x.min === x.max)
      g.block.push(`every seed of ${o} gives ${k} = ${x.min.toFixed(3)}: no spread, so no interval`);
  });
  return g;
}

const fmt = (x: Interval): string =>
  x.seeds > 1 ? `${x.mean.toFixed(3)} [${x.low.toFixed(3)}, ${x.high.toFixed(3)}]` : `${x.mean.toFixed(3)} (1 seed)`;

function noteOf(d: ClaimDef, verdict: Verdict, xs: (Interval | undefined)[], names: string[]): string {
  const show = names.map((n, i) => `${n} ${xs[i] ? fmt(xs[i] as Interval) : 'n/a'}`).join(' vs ');
  if (verdict === 'reproduced')
    return d.range ? `Holds here: every seed in [${d.range[0]}, ${d.range[1]}] (${show}).` : `Holds here: ${show}.`;
  if (verdict === 'inconclusive')
    return `The intervals overlap (or one seed gives none): ${show}. More seeds or a longer budget may decide it.`;
  if (d.range)
    return `Disagrees with the textbook: seeds range ${xs[0]?.min.toFixed(3)} to ${xs[0]?.max.toFixed(3)}, outside [${d.range[0]}, ${d.range[1]}].`;
  return `Disagrees with the textbook at this scale: ${names[1]} scored ${d.lower ? 'lower' : 'higher'} than ${names[0]} (${show}).`;
}

// The compute behind a comparison of two objectives at one budget: their training FLOPs (~6ND) per run, and their ratio.
function computeOf(objectives: string[], metrics: MetricTable): { note: string; ratio?: number } {
  if (objectives.length < 2 || objectives[0] === objectives[1]) return { note: '' };
  const flops = objectives.map((o) => metrics[o]?.flops?.mean);
  if (flops.some((f) => f === undefined)) return { note: '' };
  const ratio = (flops[0] as number) / (flops[1] as number);
  return {
    ratio,
    note: ` Training compute per run: ${objectives.map((o, i) => `${o} ${(flops[i] as number).toExponential(2)} FLOPs`).join(', ')} (${ratio.toFixed(2)}x).`,
  };
}

// A claim "for the same compute" (ELECTRA) that one side won with more than 10% more FLOPs is not shown by it.
function computeGuard(d: ClaimDef, verdict: Verdict, ratio: number | undefined): string | undefined {
  if (!d.sameCompute || ratio === undefined || Math.abs(ratio - 1) <= 0.1) return undefined;
  if (verdict === 'reproduced' && ratio > 1.1)
    return `${d.sides[0][0]} won, but with ${ratio.toFixed(2)}x the FLOPs: not an equal-compute result (a --budget of wall clock, or --tokens scaled by the ratio, evens it)`;
  if (verdict === 'not reproduced at this scale' && ratio < 0.9)
    return `${d.sides[0][0]} lost, but with ${ratio.toFixed(2)}x the FLOPs: not an equal-compute result`;
  return undefined;
}

/** The claims whose objectives the comparison names, with their verdicts. */
export function checkClaims(results: Results, metrics: MetricTable): Claim[] {
  const named = new Set(results.spec.objectives);
  const out: Claim[] = [];
  for (const d of DEFS) {
    const picks = d.sides.map((ids) => ids.find((id) => named.has(id)));
    if (picks.some((p) => p === undefined)) continue;
    const objectives = picks as string[];
    const evidence = objectives.map((o, i) => [o, d.keys[i]] as [string, string]);
    const names = evidence.map(([o, k]) => (d.keys[0] === d.keys[1] || d.range ? o : `${o} ${k}`));
    const skipped = objectives.filter((o) => results.skipped[o] !== undefined);
    if (skipped.length > 0) {
      out.push({
        id: d.id,
        claim: d.claim,
        source: d.source,
        evidence,
        verdict: 'not run',
        note: [...new Set(skipped)].map((o) => `${o} was not trained: ${results.skipped[o]}`).join('; '),
      });
      continue;
    }
    const xs = evidence.map(([o, k]) => metrics[o]?.[k]);
    let verdict = d.range
      ? rangeVerdict(xs[0], ...d.range)
      : d.lower
        ? verdictOf(xs[1], xs[0])
        : verdictOf(xs[0], xs[1]);
    const compute = computeOf(objectives, metrics);
    if (verdict === 'not run') {
      out.push({
        id: d.id,
        claim: d.claim,
        source: d.source,
        evidence,
        verdict,
        note: `no ${evidence
          .filter((_, i) => !xs[i])
          .map(([o, k]) => `${k} for ${o}`)
          .join(', ')} in the results (the evaluation was not selected or does not apply)`,
      });
      continue;
    }
    const g = guardOf(d, verdict, evidence, xs, metrics);
    const computeWhy = computeGuard(d, verdict, compute.ratio);
    if (computeWhy) g.block.push(computeWhy);
    if (g.block.length > 0) verdict = 'inconclusive';
    const measured = `Measured: ${evidence.map(([o], i) => `${names[i] ?? o} ${fmt(xs[i] as Interval)}`).join(' vs ')}.`;
    const note =
      g.block.length > 0
        ? `${[...g.block, ...g.info].join('; ')}. ${measured}`
        : `${noteOf(d, verdict, xs, names)}${g.info.length ? ` ${g.info.join('; ')}.` : ''}`;
    out.push({ id: d.id, claim: d.claim, source: d.source, evidence, verdict, note: `${note}${compute.note}` });
  }
  return out;
}
