// The evaluations of `pretext compare`, the same for every run: each selected task of src/eval/tasks.ts that the
// model (or a part of it: ELECTRA's discriminator for the probes, its generator for fill-mask) has a head for, on
// inputs read once per comparison (held-out rows: the run's own validation rows), reduced to its headline figure and
// baselines; and one generated sample (CLM: sampling; MLM: mask-predict) from a held-out prompt.
import type { Config } from '../src/config/index.js';
import type { Document } from '../src/corpus/document.js';
import { PretextError } from '../src/errors.js';
import { poolingsOf } from '../src/eval/embed.js';
import { generate } from '../src/eval/generate.js';
import { maskPredict } from '../src/eval/mask-predict.js';
import { fillSentinels } from '../src/eval/fill-sentinels.js';
import { maxPositions, rowCapacity } from '../src/eval/probe-items.js';
import { evalTask, modelForTask, modelHeads, type EvalInput, type EvalSettings } from '../src/eval/tasks.js';
import type { EvalFigure, RunRecord } from '../src/experiments/index.js';
import type { Model, T5Model } from '../src/model/index.js';
import type { Tokenizer } from '../src/tokenize/index.js';
import type { TaskRows } from '../src/train/index.js';
import { evalInput, heldOutDocuments, rowBatches, type RunSettings } from './eval-inputs.js';
import { CountProgress } from './progress.js';

export interface EvalSetup {
  tasks: string[];
  size: { chunksPerDoc: number; maxTokens: number; maxPairs: number };
  /** inputs by data kind and pair objective, read once */
  cache: Map<string, EvalInput>;
  held?: Document[];
}

type Headline = (r: Record<string, any>) => EvalFigure; // eslint-disable-line @typescript-eslint/no-explicit-any

const accuracies = (b: Record<string, { accuracy: number }>): Record<string, number> =>
  Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.accuracy]));

// The headline figure of each task's result (src/eval's result shapes).
const HEADLINES: Record<string, Headline> = {
  'probe-genre': (r) => ({ metric: 'accuracy', value: r.probe.accuracy, baselines: accuracies(r.baselines) }),
  'probe-sentiment': (r) => ({ metric: 'accuracy', value: r.probe.accuracy, baselines: accuracies(r.baselines) }),
  'fill-mask': (r) => ({ metric: 'accuracy', value: r.accuracy }),
  'pseudo-perplexity': (r) => ({ metric: 'pseudo-perplexity', value: r.pseudoPerplexity }),
  perplexity: (r) => ({ metric: 'perplexity', value: r.perplexity }),
  pair: (r) => ({
    metric: 'accuracy',
    value: r.heldOut.accuracy,
    baselines: { majority: r.heldOut.majority },
    ...(r.sameGenre ? { extra: { sameGenre: r.sameGenre.accuracy } } : {}),
  }),
  'sentence-pairs': (r) => ({
    metric: 'retrieval accuracy',
    value: r.retrieval,
    baselines: { chance: 1 / r.pairs },
    extra: { alignment: r.alignment, uniformity: r.uniformity },
  }),
  'span-accuracy': (r) => ({
    metric: 'exact-span accuracy',
    value: r.spanAccuracy,
    extra: { tokenAccuracy: r.tokenAccuracy },
  }),
  rtd: (r) => ({
    metric: 'replaced-token AUC',
    value: r.auc,
    baselines: { chance: 0.5 },
    extra: {
      discriminatorAccuracy: r.discriminatorAccuracy,
      majority: r.majority,
      generatorAccuracy: r.generatorAccuracy,
      replaced: r.replaced,
    },
  }),
};

export const COMPARE_EVALS = Object.keys(HEADLINES);

/** Check task ids: known to src/eval and to the headline table. */
export function checkEvals(ids: string[]): string[] {
  for (const id of ids) {
    evalTask(id);
    if (!HEADLINES[id])
      throw new PretextError(`--evals: ${id} has no headline figure in compare (${COMPARE_EVALS.join(', ')})`);
  }
  return ids;
}

const settingsOf = (s: EvalSetup, model: Model, c: Readonly<Config>, pairObjective: string): EvalSettings => ({
  seed: 0,
  pooling: poolingsOf(model.config)[0],
  testFraction: 0.2,
  C: undefined,
  chunkTokens: Math.min(128, rowCapacity(model.config)),
  chunksPerDoc: s.size.chunksPerDoc,
  maxTokens: s.size.maxTokens,
  maskProb: (c.options.maskProb as number | undefined) ?? 0.15,
  pairObjective,
  maxSeqLen: Math.min(c.seqLen, maxPositions(model.config)),
  maxPairs: s.size.maxPairs,
});

function settingsOfRun(c: Readonly<Config>, dir: string): RunSettings {
  return {
    source: dir,
    objective: c.objective,
    corpus: c.corpus,
    splitSeed: c.splitSeed,
    validationFraction: c.validationFraction,
    maskProb: (c.options.maskProb as number | undefined) ?? 0.15,
    seqLen: c.seqLen,
    config: c,
  };
}

// A span-corruption model fills one sentinel put in place of two words of a held-out sentence (greedy decoder).
function sentinelSample(model: Model, tok: Tokenizer, words: string[]): RunRecord['sample'] {
  const sentinel = '<extra_id_0>';
  if (tok.tokenToId(sentinel) === undefined || words.length < 6) return undefined;
  const kept = words.slice(0, 10);
  const prompt = `${kept.slice(0, 3).join(' ')}${sentinel} ${kept.slice(5).join(' ')}`;
  const ids = tok.encode(prompt).ids;
  const fill = fillSentinels(model as T5Model, ids, (id) => /^<extra_id_\d+>$/.test(tok.idToToken(id) ?? ''), 8);
  return {
    method: 'sentinel filling, greedy decoder (two words were cut out)',
    prompt,
    completion: `${sentinel} = ${tok.decode(fill.spans[0].ids, { skipSpecialTokens: true })}`,
  };
}

async function sampleOf(
  s: EvalSetup,
  trained: Model,
  tok: Tokenizer,
  c: Readonly<Config>,
  dir: string,
): Promise<RunRecord['sample']> {
  const model = [trained, ...Object.values(trained.parts?.() ?? {})].find((m) =>
    modelHeads(m.config).some((h) => h === 'lm' || h === 'mlm' || h === 'seq2seq'),
  );
  if (!model) return undefined;
  if (modelHeads(model.config).includes('seq2seq')) {
    s.held ??= await heldOutDocuments(settingsOfRun(c, dir));
    return sentinelSample(model, tok, s.held[0].sentences[0].split(/\s+/));
  }
  const heads = modelHeads(model.config);
  s.held ??= await heldOutDocuments(settingsOfRun(c, dir));
  const n = Math.min(16, Math.floor(maxPositions(model.config) / 3));
  const words = s.held[0].sentences[0].split(/\s+/);
  let k = 8;
  while (k > 1 && tok.encode(words.slice(0, k).join(' ')).ids.length + n + 3 > maxPositions(model.config)) k--;
  const prompt = words.slice(0, k).join(' ');
  if (heads.includes('lm'))
    return {
      method: `sampling, temperature 0.8, top-k 40, ${n} new tokens`,
      prompt,
      completion: generate(model, tok, prompt, { maxNewTokens: n, temperature: 0.8, topK: 40, seed: c.seed })
        .completion,
    };
  return {
    method: `mask-predict, ${n} new tokens, 6 passes, most probable token`,
    prompt,
    completion: maskPredict(model, tok, prompt, { newTokens: n, iterations: 6, temperature: 0, topK: 0, seed: c.seed })
      .completion,
  };
}

/** Every selected task the model (or a part of it) has a head for, and a sample; `validation`: the run's held-out rows. */
export async function evaluateRun(
  s: EvalSetup,
  trained: Model,
  tok: Tokenizer,
  c: Readonly<Config>,
  dir: string,
  validation?: TaskRows,
): Promise<{ evals: Record<string, EvalFigure>; sample: RunRecord['sample'] }> {
  const evals: Record<string, EvalFigure> = {};
  const pairObjective = c.objective.includes('sop') ? 'sop' : 'nsp';
  for (const id of s.tasks) {
    const task = evalTask(id);
    const model = modelForTask(task, trained);
    if (!model) continue;
    let input: EvalInput | undefined;
    if (task.data === 'held-out-rows') {
      if (!validation) continue;
      input = { batches: rowBatches(validation, c.batchSize, c.seqLen, s.size.maxTokens, c.splitSeed) };
    } else {
      const key = `${task.data}:${task.data === 'held-out' ? pairObjective : ''}`;
      input = s.cache.get(key);
      if (!input) s.cache.set(key, (input = await evalInput(task.data, settingsOfRun(c, dir), dir, pairObjective)));
    }
    const progress = new CountProgress({ label: `  ${id}`, unit: task.unit, tty: process.stderr.isTTY === true });
    try {
      evals[id] = HEADLINES[id](
        task.run(model, tok, input, settingsOf(s, model, c, pairObjective), (d, t) => progress.update(d, t)) as Record<
          string,
          unknown
        >,
      );
    } finally {
      progress.finish();
    }
  }
  return { evals, sample: await sampleOf(s, trained, tok, c, dir) };
}
