// The figure kinds of `pretext viz`: each gathers its input (a text through the default tokenizers, Brown, run logs,
// a results JSON) and hands it to a pure figure function of src/viz.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { PretextError } from '../src/errors.js';
import type { ObjectiveId } from '../src/objectives/objective.js';
import { getObjective } from '../src/objectives/index.js';
import type { Document } from '../src/corpus/index.js';
import { examplesOf, viewExample, type ExampleView } from '../src/view/index.js';
import { pairsFigure, seedsFigure, seq2seqFigure, strategiesFigure, targetsFigure } from '../src/viz/example-grids.js';
import { sentencesOfText } from '../src/corpus/index.js';
import type { Tokenizer } from '../src/tokenize/index.js';
import { attentionFigure, bidirectionalVsCausal, packedPanel, prefixLmPanel } from '../src/viz/attention.js';
import { electraScoresFigure, replacedProbabilities, type ElectraScores } from '../src/viz/electra-scores.js';
import { lossCurvesFigure, type LossRun } from '../src/viz/loss-curves.js';
import { maskSplitFigure, measureMaskSplit } from '../src/viz/mask-split.js';
import { probeAccuracyFigure } from '../src/viz/probe-accuracy.js';
import { bartLengths, spanbertLengths, spanLengthsFigure, t5Lengths } from '../src/viz/span-lengths.js';
import { tokenLabeller } from '../src/viz/tokens.js';
import { defaultTokenizer, familyOf } from './default-tokenizers.js';
import { loadBrownSample } from './brown-sample.js';
import { loadBrown } from './io/brown-files.js';
import { readTokenizer } from './objective-flags.js';
import { createEngine } from './train-infer.js';
import { openSavedModel } from './train-run.js';

export interface VizInput {
  /** the positionals after KIND: a text, run folders or a results file */
  args: string[];
  seed: number;
  /** nsp or sop, for pairs */
  objective?: string;
  /** how many seeds the seeds figure shows */
  seeds: number;
  tokenizer?: string;
  /** electra: a run (or checkpoint) folder holding an ElectraForPreTraining discriminator */
  run?: string;
  /** electra: the text before the generator's replacements, to mark the replaced tokens */
  original?: string;
  docs: number;
  draws: number;
}

export interface VizKind {
  name: string;
  summary: string;
  build(input: VizInput): Promise<TopLevelSpec>;
}

export const SENTENCE = 'The cat sat on the mat because it was warm.';
export const LONG_SENTENCE =
  'The unbelievably patient astronomer photographed thousands of distant galaxies from a windswept mountaintop observatory.';
const STRATEGIES: [string, object][] = [
  ['tokens (BERT)', {}],
  ['whole words', { wholeWord: true }],
  ['SpanBERT spans', { spanMasking: 'spanbert' }],
  ['ALBERT n-grams', { spanMasking: 'albert-ngram' }],
];
export const PASSAGE = 'The cat sat on the mat. The mat was very soft. It was a sunny day.';

function tokenizerFor(input: VizInput, id: ObjectiveId): Tokenizer {
  return input.tokenizer ? readTokenizer(input.tokenizer) : defaultTokenizer(id);
}

function textOf(input: VizInput, fallback: string): string {
  const text = input.args.join(' ').trim();
  return text === '' ? fallback : text;
}

/** The text's ids under the objective's tokenizer and family conventions (special tokens or not). */
function encode(input: VizInput, id: ObjectiveId, text: string, specials = familyOf(id).addSpecialTokens) {
  const tok = tokenizerFor(input, id);
  const ids = tok.encode(text, undefined, { addSpecialTokens: specials }).ids;
  if (ids.length < 2) throw new PretextError('the text needs at least two tokens');
  if (ids.length > 48)
    throw new PretextError(`the text has ${ids.length} tokens; attention figures stay readable up to 48`);
  return { tok, ids, label: tokenLabeller(tok), vocab: tok.vocabInfo() };
}

/** The discriminator of `input.run` scores the text (what it sees); --original marks the tokens that differ from it. */
async function scoresFromRun(input: VizInput): Promise<ElectraScores> {
  const saved = openSavedModel(input.run!);
  const arch = saved.config.architectures?.[0];
  if (saved.config.model_type !== 'electra' || arch !== 'ElectraForPreTraining')
    throw new PretextError(
      `electra: ${saved.dir} holds a ${saved.config.model_type} ${arch ?? ''} model; the figure needs an ELECTRA discriminator (ElectraForPreTraining)`,
    );
  const text = input.args.join(' ').trim();
  if (text === '')
    throw new PretextError(
      'electra --run: give the text the discriminator sees, e.g. "the chef ate the meal" (and --original "the chef cooked the meal")',
    );
  const tok = saved.tokenizer;
  const ids = tok.encode(text).ids;
  const orig = input.original === undefined ? ids : tok.encode(input.original).ids;
  if (orig.length !== ids.length)
    throw new PretextError(
      `electra: --original has ${orig.length} tokens and the text ${ids.length}; replacements swap single tokens, so both need the same number`,
    );
  const engine = await createEngine('reference', 1);
  try {
    const scores = Array.from(replacedProbabilities(saved.load(engine), ids));
    return {
      original: Array.from(orig, tokenLabeller(tok)),
      corrupted: Array.from(ids, tokenLabeller(tok)),
      scores,
      source: `discriminator of ${saved.dir}`,
    };
  } finally {
    engine.dispose();
  }
}

/** The per-token views (as `pretext show` prints them) of the objective's examples from the text, default options. */
function viewsOf(
  input: VizInput,
  id: ObjectiveId,
  text: string,
  seed: number,
  otherDocuments: readonly Document[] = [],
  options: object = {},
): ExampleView[] {
  const objective = getObjective(id)!;
  const tokenizer = tokenizerFor(input, id);
  const examples = examplesOf({
    objective,
    text,
    tokenizer,
    options: objective.resolve(options),
    seed,
    epoch: 0,
    otherDocuments,
  });
  return examples.map((ex) => viewExample(objective, ex, tokenizer));
}

/** Sentences of `input.docs` Brown documents spread evenly over the 500 (so every genre), with special tokens. */
async function brownRows(
  input: VizInput,
  tok: Tokenizer,
): Promise<{ rows: { input_ids: Int32Array }[]; name: string }> {
  const step = Math.floor(500 / input.docs);
  const rows: { input_ids: Int32Array }[] = [];
  let n = 0;
  let picked = 0;
  for await (const doc of loadBrown()) {
    if (n++ % step !== 0) continue;
    for (const s of doc.sentences) rows.push({ input_ids: tok.encode(s, undefined, { addSpecialTokens: true }).ids });
    if (++picked === input.docs) break;
  }
  return { rows, name: `Brown corpus, ${picked} documents${picked >= 15 ? ' over its 15 genres' : ''}` };
}

function readRun(dir: string): LossRun {
  const path = existsSync(dir) && statSync(dir).isDirectory() ? join(dir, 'log.jsonl') : dir;
  if (!existsSync(path)) throw new PretextError(`no log.jsonl in ${dir} (give run folders written by pretext train)`);
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new PretextError(`${path}: line ${i + 1} is not JSON`);
      }
    });
  return { name: dir.replace(/\/+$/, '').replace(/\/log\.jsonl$/, ''), rows };
}

function readJson(path: string | undefined, what: string): unknown {
  if (!path || !existsSync(path)) throw new PretextError(`${what}${path ? ` (no such file: ${path})` : ''}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PretextError(`${path} is not valid JSON (${(e as Error).message})`);
  }
}

export const vizKinds: readonly VizKind[] = [
  {
    name: 'targets',
    summary: 'MLM vs CLM targets on one sentence: where each puts its loss',
    async build(input) {
      const text = textOf(input, SENTENCE);
      return targetsFigure(
        viewsOf(input, 'mlm', text, input.seed)[0],
        viewsOf(input, 'clm', text, input.seed)[0],
        input.seed,
      );
    },
  },
  {
    name: 'seeds',
    summary: 'the masking pattern of several seeds on one sentence (--seeds N, from --seed)',
    async build(input) {
      const text = textOf(input, SENTENCE);
      const { maskProb } = getObjective('mlm')!.resolve({}) as { maskProb: number };
      return seedsFigure(
        Array.from({ length: input.seeds }, (_, k) => ({
          seed: input.seed + k,
          view: viewsOf(input, 'mlm', text, input.seed + k)[0],
        })),
        maskProb,
      );
    },
  },
  {
    name: 'strategies',
    summary: 'masking strategies on one sentence: tokens, whole words, SpanBERT spans, ALBERT n-grams (same seed)',
    async build(input) {
      const text = textOf(input, LONG_SENTENCE);
      const { maskProb } = getObjective('mlm')!.resolve({}) as { maskProb: number };
      const rows = STRATEGIES.map(([label, opts]) => ({
        label,
        view: viewsOf(input, 'mlm', text, input.seed, [], opts)[0],
      }));
      return strategiesFigure(rows, input.seed, maskProb);
    },
  },
  {
    name: 'span-corruption',
    summary: 'T5 span corruption: inputs with one sentinel per span, targets listing each sentinel and its span',
    async build(input) {
      const [view] = viewsOf(input, 'span-corruption', textOf(input, SENTENCE), input.seed);
      const o = getObjective('span-corruption')!.resolve({}) as { noiseDensity: number; meanSpanLength: number };
      return seq2seqFigure(
        view,
        'T5 span corruption: sentinels in, spans out',
        `seed ${input.seed}; noise density ${o.noiseDensity}, mean span length ${o.meanSpanLength} (the defaults)`,
      );
    },
  },
  {
    name: 'bart-infilling',
    summary: 'BART text infilling: Poisson spans each replaced by one <mask>; the decoder rewrites the row',
    async build(input) {
      const [view] = viewsOf(input, 'bart-infilling', textOf(input, SENTENCE), input.seed);
      const o = getObjective('bart-infilling')!.resolve({}) as { mask: number; poissonLambda: number };
      return seq2seqFigure(
        view,
        'BART text infilling: one <mask> per span, the whole row as target',
        `seed ${input.seed}; ${Math.round(o.mask * 100)}% of words masked in Poisson(${o.poissonLambda}) spans (the defaults)`,
      );
    },
  },
  {
    name: 'pairs',
    summary: 'NSP or SOP pairs from a passage (--objective nsp|sop), with their labels and where A and B came from',
    async build(input) {
      const id = input.objective ?? 'nsp';
      if (id !== 'nsp' && id !== 'sop') throw new PretextError(`pairs: --objective must be nsp or sop, got '${id}'`);
      const others = await loadBrownSample(12);
      const views = viewsOf(input, id, textOf(input, PASSAGE), input.seed, others);
      const about =
        id === 'nsp'
          ? 'NSP: is B the text that follows A, or a segment of another document?'
          : 'SOP: are A and B in their original order, or swapped?';
      return pairsFigure(
        views,
        about,
        `seed ${input.seed}; document 0 is the text, other documents are 12 Brown documents; B's tokens are segment B`,
      );
    },
  },
  {
    name: 'attention',
    summary: 'bidirectional (MLM) vs causal (CLM) attention masks on one sentence',
    async build(input) {
      const { ids, label, vocab } = encode(input, 'mlm', textOf(input, SENTENCE), false);
      return attentionFigure(
        bidirectionalVsCausal(ids, label, vocab),
        'Who attends to whom: masked vs causal LM',
        'row = query token, column = key token it may attend to',
      );
    },
  },
  {
    name: 'attention-prefix',
    summary: "prefix LM attention: the prefix-lm transform's split (seeded), prefix bidirectional, the rest causal",
    async build(input) {
      const { ids, label, vocab } = encode(input, 'prefix-lm', textOf(input, SENTENCE));
      return attentionFigure(
        [prefixLmPanel(ids, label, vocab, input.seed)],
        'Prefix LM attention',
        `seed ${input.seed}; every query sees the whole prefix, the rest causally`,
      );
    },
  },
  {
    name: 'attention-packed',
    summary:
      'packed documents: each sentence a document, packed by clm (one EOS each), block-diagonal causal attention',
    async build(input) {
      const tok = tokenizerFor(input, 'clm');
      const docs = sentencesOfText(textOf(input, PASSAGE)).map(
        (s) => tok.encode(s, undefined, { addSpecialTokens: false }).ids,
      );
      const total = docs.reduce((a, d) => a + d.length + 1, 0);
      if (total > 48)
        throw new PretextError(`the documents have ${total} tokens with their EOS; the figure stays readable up to 48`);
      return attentionFigure(
        [packedPanel(docs, tokenLabeller(tok), tok.vocabInfo(), total)],
        'Packed documents: attention stays inside each document',
        'clm --pack with document attention: position ids restart, no token sees another document',
      );
    },
  },
  {
    name: 'split',
    summary: 'the 80/10/10 split measured from the mlm transform over Brown sentences (--docs N)',
    async build(input) {
      const tok = tokenizerFor(input, 'mlm');
      const { rows, name } = await brownRows(input, tok);
      return maskSplitFigure(measureMaskSplit(rows, {}, tok.vocabInfo(), input.seed), `${name}, seed ${input.seed}`);
    },
  },
  {
    name: 'span-lengths',
    summary: 'span-length histograms (SpanBERT geometric, T5, BART Poisson) against their distributions (--draws N)',
    async build(input) {
      const t5 = tokenizerFor(input, 'span-corruption');
      const { poissonLambda } = getObjective('bart-infilling')!.resolve({}) as { poissonLambda: number };
      return spanLengthsFigure([
        spanbertLengths(input.draws, input.seed),
        t5Lengths(Math.ceil(input.draws / 5), 100, t5.vocabInfo(), input.seed),
        bartLengths(input.draws, poissonLambda, input.seed),
      ]);
    },
  },
  {
    name: 'loss',
    summary: 'loss curves of runs: pretext viz loss RUN_DIR [RUN_DIR ...] (their log.jsonl)',
    async build(input) {
      if (input.args.length === 0)
        throw new PretextError('loss: give one or more run folders (written by pretext train)');
      return lossCurvesFigure(input.args.map(readRun));
    },
  },
  {
    name: 'probe',
    summary: 'probe accuracy per objective with 95% intervals: pretext viz probe RESULTS.json (docs/figures.md)',
    async build(input) {
      return probeAccuracyFigure(readJson(input.args[0], 'probe: give a results JSON file') as never);
    },
  },
  {
    name: 'electra',
    summary:
      "ELECTRA's replaced tokens with the discriminator's scores: SCORES.json, or TEXT --run RUN [--original TEXT]",
    async build(input) {
      if (input.run !== undefined) return electraScoresFigure(await scoresFromRun(input));
      if (input.original !== undefined)
        throw new PretextError('electra: --original goes with --run (a scores JSON holds its own original tokens)');
      return electraScoresFigure(
        readJson(input.args[0], 'electra: give a scores JSON file {original, corrupted, scores}') as never,
      );
    },
  },
];
