// The report of a comparison: the summary (intervals, direction from the attention masks, claims) into results.json,
// the figures from src/viz rendered to SVG, and report.html, all written atomically.
import { join } from 'node:path';
import {
  checkClaims,
  comparisonRows,
  laterKeyShare,
  metricTable,
  renderMarkdown,
  renderReport,
  type ComparisonSummary,
  type ReportFigure,
  type Results,
} from '../src/experiments/index.js';
import {
  attentionFigure,
  bidirectionalVsCausal,
  lossCurvesFigure,
  probeAccuracyFigure,
  renderSvg,
  tokenLabeller,
} from '../src/viz/index.js';
import { defaultTokenizer } from './default-tokenizers.js';
import { writeFileAtomic } from './output.js';
import { SENTENCE, vizKinds } from './viz-kinds.js';

export const RESULTS_FILE = 'results.json';
export const REPORT_FILE = 'report.html';

function attentionPanels() {
  const tok = defaultTokenizer('mlm');
  const ids = tok.encode(SENTENCE, undefined, { addSpecialTokens: false }).ids;
  return bidirectionalVsCausal(ids, tokenLabeller(tok), tok.vocabInfo());
}

/** Intervals, the direction of the mlm and clm rows' masks, and the claims' verdicts. */
export function summarize(results: Results): ComparisonSummary {
  const metrics = metricTable(results);
  const [bi, causal] = attentionPanels();
  const direction: Record<string, number> = {};
  if (metrics.mlm) direction.mlm = laterKeyShare(bi.mask, bi.tokens.length);
  if (metrics.clm) direction.clm = laterKeyShare(causal.mask, causal.tokens.length);
  return { metrics, direction, claims: checkClaims(results, metrics) };
}

async function figures(results: Results): Promise<ReportFigure[]> {
  const runs = Object.values(results.runs);
  const out: ReportFigure[] = [];
  const add = async (title: string, caption: string, spec: Parameters<typeof renderSvg>[0]) =>
    out.push({ title, caption, svg: await renderSvg(spec) });
  const kind = (name: string) =>
    vizKinds.find((k) => k.name === name)!.build({ args: [], seed: 0, seeds: 3, docs: 30, draws: 2000 });
  await add(
    'Direction',
    'the attention masks of the rows mlm and clm make (row = query, column = key)',
    attentionFigure(
      attentionPanels(),
      'Who attends to whom: masked vs causal LM',
      'row = query token, column = key token it may attend to',
    ),
  );
  await add('Training signal', 'where each objective puts its loss on one sentence', await kind('targets'));
  await add(
    'The 80/10/10 split',
    'what the selected tokens became, measured over Brown sentences',
    await kind('split'),
  );
  if (runs.length > 0) {
    const lossRuns = runs.map((r) => ({
      name: r.id,
      rows: [
        ...r.trainLoss.map(([step, loss]) => ({ step, loss })),
        ...r.curve.map((p) => ({ step: p.step, val_loss: p.val_loss })),
      ],
    }));
    await add(
      'Loss per step',
      `every step is ${results.spec.config.batchSize} x ${results.spec.config.seqLen} tokens; different objectives predict different targets`,
      lossCurvesFigure(lossRuns, 'Training and validation loss'),
    );
  }
  for (const task of ['probe-genre', 'probe-sentiment', 'pair', 'sentence-pairs', 'rtd', 'span-accuracy']) {
    const rows = runs
      .filter((r) => r.evals[task])
      .map((r) => ({ objective: r.objective, seed: r.seed, accuracy: r.evals[task].value }));
    if (rows.length === 0) continue;
    const first = runs.find((r) => r.evals[task])!.evals[task];
    const baselines = Object.entries(first.baselines ?? {}).map(([name, accuracy]) => ({ name, accuracy }));
    const title = task.startsWith('probe') ? `Understanding: ${task}` : `Held out: ${task}`;
    await add(
      title,
      `${first.metric} per objective over seeds, with the baselines`,
      probeAccuracyFigure({ task, results: rows, baselines }),
    );
  }
  return out;
}

/** Write results.json (with its summary) and report.html in `outDir`; returns the report's path. */
export async function writeReport(results: Results, outDir: string, command: string): Promise<string> {
  const summary = summarize(results);
  const withSummary: Results = { ...results, summary, command };
  writeFileAtomic(join(outDir, RESULTS_FILE), `${JSON.stringify(withSummary, null, 1)}\n`);
  const html = renderReport(
    withSummary,
    summary,
    comparisonRows(withSummary, summary),
    await figures(withSummary),
    command,
  );
  const path = join(outDir, REPORT_FILE);
  writeFileAtomic(path, html);
  return path;
}

/** The comparison table and claims of a results.json as Markdown (the command and date are the ones it records). */
export function markdownReport(results: Results): string {
  const summary = summarize(results);
  const withSummary: Results = { ...results, summary };
  return renderMarkdown(withSummary, summary, comparisonRows(withSummary, summary));
}
