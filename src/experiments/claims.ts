// The textbook's claims (the note pretext grew from, and the papers behind it), each checked on the measured
// intervals. A claim is listed when the comparison includes its objectives; one whose objective could not be
// trained says so. Where the measurement goes the other way, the note says it plainly.
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
}

const PROBES = ['probe-genre', 'probe-sentiment'];

const DEFS: ClaimDef[] = [
  { id: 'signal-clm', claim: 'Autoregressive: every token carries a loss', source: 'the comparison table (training signal)', sides: [['clm']], keys: ['lossShare'], range: [0.9, 1] },
  { id: 'signal-mlm', claim: 'Masked: about 15% of tokens carry a loss', source: 'the comparison table (training signal); BERT, Devlin et al. 2019', sides: [['mlm']], keys: ['lossShare'], range: [0.1, 0.2] },
  ...PROBES.map((p) => ({ id: `understanding-${p}`, claim: `Masked is stronger at understanding than autoregressive (${p})`, source: 'the comparison table (understanding)', sides: [['mlm'], ['clm']], keys: [p, p] })),
  { id: 'nsp-vs-sop', claim: 'NSP is the easier task: higher pair accuracy than SOP', source: 'ALBERT, Lan et al. 2020', sides: [['nsp', 'mlm+nsp'], ['sop', 'mlm+sop']], keys: ['pair', 'pair'] },
  { id: 'nsp-too-easy', claim: 'NSP is too easy: random-document negatives are told apart more often than same-genre ones', source: 'RoBERTa, Liu et al. 2019; ALBERT', sides: [['nsp', 'mlm+nsp'], ['nsp', 'mlm+nsp']], keys: ['pair', 'pair.sameGenre'] },
  ...PROBES.map((p) => ({ id: `roberta-${p}`, claim: `Removing NSP helps: MLM alone beats MLM+NSP (${p})`, source: 'RoBERTa, Liu et al. 2019', sides: [['mlm'], ['mlm+nsp']], keys: [p, p] })),
  ...PROBES.map((p) => ({ id: `electra-${p}`, claim: `ELECTRA beats MLM for the same compute (${p})`, source: 'ELECTRA, Clark et al. 2020', sides: [['electra'], ['mlm']], keys: [p, p] })),
  { id: 'simcse', claim: 'SimCSE sentence vectors beat mean-pooled MLM vectors (probe-sentiment)', source: 'SimCSE, Gao et al. 2021', sides: [['simcse'], ['mlm']], keys: ['probe-sentiment', 'probe-sentiment'] },
];

const fmt = (x: Interval): string => (x.seeds > 1 ? `${x.mean.toFixed(3)} [${x.low.toFixed(3)}, ${x.high.toFixed(3)}]` : `${x.mean.toFixed(3)} (1 seed)`);

function noteOf(d: ClaimDef, verdict: Verdict, xs: (Interval | undefined)[], names: string[]): string {
  const show = names.map((n, i) => `${n} ${xs[i] ? fmt(xs[i] as Interval) : 'n/a'}`).join(' vs ');
  if (verdict === 'reproduced') return d.range ? `Holds here: every seed in [${d.range[0]}, ${d.range[1]}] (${show}).` : `Holds here: ${show}.`;
  if (verdict === 'inconclusive') return `The intervals overlap (or one seed gives none): ${show}. More seeds or a longer budget may decide it.`;
  if (d.range) return `Disagrees with the textbook: seeds range ${xs[0]?.min.toFixed(3)} to ${xs[0]?.max.toFixed(3)}, outside [${d.range[0]}, ${d.range[1]}].`;
  return `Disagrees with the textbook at this scale: ${names[1]} scored higher than ${names[0]} (${show}).`;
}

// The compute behind a comparison of two objectives at one budget: their training FLOPs (~6ND) per run.
function computeNote(objectives: string[], metrics: MetricTable): string {
  if (objectives.length < 2 || objectives[0] === objectives[1]) return '';
  const flops = objectives.map((o) => metrics[o]?.flops?.mean);
  if (flops.some((f) => f === undefined)) return '';
  return ` Training compute per run: ${objectives.map((o, i) => `${o} ${(flops[i] as number).toExponential(2)} FLOPs`).join(', ')}.`;
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
      out.push({ id: d.id, claim: d.claim, source: d.source, evidence, verdict: 'not run', note: [...new Set(skipped)].map((o) => `${o} was not trained: ${results.skipped[o]}`).join('; ') });
      continue;
    }
    const xs = evidence.map(([o, k]) => metrics[o]?.[k]);
    const verdict = d.range ? rangeVerdict(xs[0], ...d.range) : verdictOf(xs[0], xs[1]);
    const note = verdict === 'not run' ? `no ${evidence.filter((_, i) => !xs[i]).map(([o, k]) => `${k} for ${o}`).join(', ')} in the results (the evaluation was not selected or does not apply)` : noteOf(d, verdict, xs, names);
    out.push({ id: d.id, claim: d.claim, source: d.source, evidence, verdict, note: verdict === 'not run' ? note : `${note}${computeNote(objectives, metrics)}` });
  }
  return out;
}
