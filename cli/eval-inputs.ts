// What `pretext eval` reads besides the model: the run's training settings (corpus, split, masking), the held-out
// documents of that split (or those documents as the run's own training rows), all of Brown, or the labelled
// sentences of the sentiment package; and the model as trained (every part of it, through its model family).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { splitOf } from '../src/corpus/split.js';
import type { Document } from '../src/corpus/document.js';
import { PretextError } from '../src/errors.js';
import { getObjective } from '../src/objectives/index.js';
import { isDocumentObjective } from '../src/objectives/objective.js';
import type { EvalData, EvalInput } from '../src/eval/tasks.js';
import { defaultConfig, type Config } from '../src/config/index.js';
import type { Engine } from '../src/engine/engine.js';
import { loadParts, type Model, type ModelBatch } from '../src/model/index.js';
import type { Tokenizer } from '../src/tokenize/index.js';
import { CorpusTokenizer, resolveTask, taskRows, type TaskRows } from '../src/train/index.js';
import type { SavedModel } from './train-run.js';
import { loadBrown } from './io/brown-files.js';
import { openCorpus } from './io/corpus-files.js';
import { SENTIMENT_CLASSES, lexiconPredictions, loadSentimentSentences } from './io/sentiment-files.js';
import { RUN_CONFIG, TRAINER_STATE } from '../src/train/checkpoint.js';

/** The training settings eval needs, as the run recorded them. */
export interface RunSettings {
  /** where they were read */
  source: string;
  objective: string;
  corpus: string;
  splitSeed: number;
  validationFraction: number;
  maskProb?: number;
  seqLen?: number;
  /** the whole recorded config (the run's objective, options, sizes), for its own rows and model family */
  config: Readonly<Config>;
}

/** The checkpoint's trainer-state.json config, else the run folder's run-config.json; null when neither exists. */
export function readRunSettings(checkpointDir: string): RunSettings | null {
  const candidates = [
    join(checkpointDir, TRAINER_STATE),
    join(checkpointDir, RUN_CONFIG),
    join(dirname(checkpointDir), RUN_CONFIG),
  ];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new PretextError(`${path} is not valid JSON`);
    }
    const c = (path.endsWith(TRAINER_STATE) ? json.config : json) as Record<string, unknown> | undefined;
    if (!c || typeof c !== 'object') continue;
    const num = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
    const corpus = typeof c.corpus === 'string' ? c.corpus : undefined;
    const splitSeed = num('splitSeed');
    const validationFraction = num('validationFraction');
    if (corpus === undefined || splitSeed === undefined || validationFraction === undefined)
      throw new PretextError(`${path}: no corpus / splitSeed / validationFraction recorded`);
    const options = (typeof c.options === 'object' && c.options !== null ? c.options : {}) as Record<string, unknown>;
    const maskProb = num('maskProb') ?? (typeof options.maskProb === 'number' ? options.maskProb : undefined); // a top-level knob, or the objective's option
    return {
      source: path,
      objective: String(c.objective ?? ''),
      corpus,
      splitSeed,
      validationFraction,
      maskProb,
      seqLen: num('seqLen'),
      config: { ...defaultConfig, ...c } as Config, // a knob added after the run was trained: its default
    };
  }
  return null;
}

/** The documents the run held out (same corpus, seed and fraction as training). */
export async function heldOutDocuments(run: RunSettings): Promise<Document[]> {
  const docs: Document[] = [];
  for await (const d of openCorpus(run.corpus))
    if (splitOf(d.id, { seed: run.splitSeed, validationFraction: run.validationFraction }) === 'validation')
      docs.push(d);
  if (docs.length === 0)
    throw new PretextError(
      `the run holds out no documents of ${run.corpus} (validation fraction ${run.validationFraction})`,
    );
  return docs;
}

/** Batches of `rows` (batchSize each, in order) until they hold maxTokens positions; keyed by `seed` and epoch 0. */
export function rowBatches(
  rows: TaskRows,
  batchSize: number,
  seqLen: number,
  maxTokens: number,
  seed: number,
): ModelBatch[] {
  const out: ModelBatch[] = [];
  for (let start = 0; start < rows.count && out.length * batchSize * seqLen < maxTokens; start += batchSize) {
    out.push(
      rows.batch(
        Int32Array.from({ length: Math.min(batchSize, rows.count - start) }, (_, i) => start + i),
        seed,
        0,
      ),
    );
  }
  if (out.length === 0)
    throw new PretextError('the held-out documents make no rows for this objective (too short for its rows?)');
  return out;
}

/** The run's held-out documents as its objective makes training rows of them (the split seed keys the randomness). */
export async function heldOutRows(run: RunSettings, tokenizer: Tokenizer, maxTokens: number): Promise<ModelBatch[]> {
  const c = run.config;
  if (!c.objective || !(c.seqLen > 0) || !(c.batchSize > 0))
    throw new PretextError(
      `${run.source}: no objective / seqLen / batchSize recorded, so the run's rows cannot be made`,
    );
  const task = resolveTask(c);
  const corpus = new CorpusTokenizer(tokenizer, task.unit);
  for (const d of await heldOutDocuments(run)) corpus.add(d);
  return rowBatches(
    taskRows(task, corpus.finish(), c, tokenizer.vocabInfo(), c.splitSeed),
    c.batchSize,
    c.seqLen,
    maxTokens,
    c.splitSeed,
  );
}

/** The model as trained: its family's model of every part (ELECTRA's generator beside the discriminator), when the run records its config. */
export function loadTrained(saved: SavedModel, run: RunSettings | null, engine: Engine): Model {
  if (!run?.config.objective) return saved.load(engine);
  const model = resolveTask(run.config).family.create(saved.config, engine, 0);
  loadParts(model, (path) => new Uint8Array(readFileSync(join(saved.dir, path))));
  return model;
}

/** The input of a task reading `data`; `run` is needed for held-out data, `pairObjective` names the pairs' objective. */
export async function evalInput(
  data: EvalData,
  run: RunSettings | null,
  runDir: string,
  pairObjective: string,
  tokenizer?: Tokenizer,
  maxTokens = 20000,
): Promise<EvalInput> {
  if (data === 'brown') {
    const documents: Document[] = [];
    for await (const d of loadBrown()) documents.push(d);
    return { documents };
  }
  if (data === 'sentences') {
    const sentences = loadSentimentSentences();
    return {
      sentences,
      classNames: SENTIMENT_CLASSES,
      baselines: [
        {
          name: 'lexicon',
          note: 'AFINN-165 score of the sentiment package: positive when comparative >= 0',
          predicted: lexiconPredictions(sentences.map((s) => s.text)),
        },
      ],
    };
  }
  if (!run)
    throw new PretextError(
      `${runDir} records no training settings (${TRAINER_STATE} / ${RUN_CONFIG}), so its held-out documents are unknown`,
    );
  if (data === 'held-out-rows') {
    if (!tokenizer) throw new PretextError("held-out rows need the run's tokenizer");
    return { batches: await heldOutRows(run, tokenizer, maxTokens) };
  }
  const objective = getObjective(pairObjective);
  if (!objective || !isDocumentObjective(objective))
    throw new PretextError(`${pairObjective} is not a pair objective (nsp, sop)`);
  return { documents: await heldOutDocuments(run), pairObjective: objective };
}
