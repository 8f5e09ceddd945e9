// Corpus -> tokenizer -> tokenized train / validation split for a run. The tokenizer is the run folder's own
// tokenizer.json when present (a resumed run), a given tokenizer.json, the built-in Brown tokenizer of the family
// when its size is vocabSize (tokenizer 'auto'), the --init-from run's, or one of the objective's tokenizer family
// trained here on the train split (the caller saves it in the run folder). Nothing is written here.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Config } from '../src/config/index.js';
import { splitOf, type SplitOptions } from '../src/corpus/split.js';
import { PretextError } from '../src/errors.js';
import { trainFamilyTokenizer } from '../src/tokenize/families.js';
import { loadTokenizer, type Tokenizer } from '../src/tokenize/index.js';
import { CorpusTokenizer, TOKENIZER_FILE, resolveTask, type RunData, type TrainTask } from '../src/train/index.js';
import { defaultTokenizerPath } from './default-tokenizers.js';
import { openCorpus } from './io/corpus-files.js';
import type { Document } from '../src/corpus/document.js';
import { parseTriples, triplesAsDocuments } from '../src/corpus/triples.js';

export interface TrainInputs {
  tokenizer: Tokenizer;
  /** where the tokenizer came from, for the run header */
  tokenizerSource: string;
  data: RunData;
  documents: { train: number; validation: number };
}

function readTokenizer(path: string): Tokenizer {
  if (!existsSync(path)) throw new PretextError(`no such file: ${path}`);
  return loadTokenizer(readFileSync(path, 'utf8'));
}

// The run's documents: the --pairs triples (supervised SimCSE), each a three-sentence document, or the corpus.
function runDocuments(config: Readonly<Config>): AsyncIterable<Document> | Iterable<Document> {
  if (config.pairs === '') return openCorpus(config.corpus);
  if (!existsSync(config.pairs)) throw new PretextError(`no such file: ${config.pairs}`);
  return triplesAsDocuments(parseTriples(readFileSync(config.pairs, 'utf8'), config.pairs), basename(config.pairs));
}

// Texts of the train split in the task's unit, for training a tokenizer.
async function trainTexts(config: Readonly<Config>, task: TrainTask, split: SplitOptions): Promise<string[]> {
  const texts: string[] = [];
  for await (const doc of runDocuments(config)) {
    if (splitOf(doc.id, split) !== 'train') continue;
    if (task.unit === 'sentence') texts.push(...doc.sentences);
    else texts.push(doc.sentences.join(' '));
  }
  return texts;
}

async function resolveTokenizer(
  config: Readonly<Config>,
  task: TrainTask,
  runDir: string | undefined,
  split: SplitOptions,
  initTokenizer?: string,
): Promise<{ tokenizer: Tokenizer; source: string }> {
  const cached = runDir === undefined ? undefined : join(runDir, TOKENIZER_FILE);
  if (cached && existsSync(cached)) return { tokenizer: readTokenizer(cached), source: cached };
  if (initTokenizer) return { tokenizer: readTokenizer(initTokenizer), source: `${initTokenizer} (--init-from)` };
  const family = task.choice.tokenizer;
  let tokenizer: Tokenizer | undefined;
  let source = '';
  if (config.tokenizer !== 'auto' && config.tokenizer !== 'train') {
    tokenizer = readTokenizer(config.tokenizer);
    source = config.tokenizer;
  } else if (config.tokenizer === 'auto' && config.corpus === 'brown' && existsSync(defaultTokenizerPath(family))) {
    // the built-in tokenizers were trained on Brown: any other corpus gets one trained on its own train split
    const builtin = readTokenizer(defaultTokenizerPath(family));
    if (builtin.vocabSize === config.vocabSize) [tokenizer, source] = [builtin, `built-in brown-${family}`];
  }
  if (!tokenizer) {
    const t0 = performance.now();
    const texts = await trainTexts(config, task, split);
    tokenizer = trainFamilyTokenizer(texts, { family, vocabSize: config.vocabSize });
    if (tokenizer.vocabSize > config.vocabSize)
      throw new PretextError(
        `--vocab-size ${config.vocabSize} is too small for ${config.corpus}: the special tokens and the base alphabet alone take ${tokenizer.vocabSize} entries; give --vocab-size ${tokenizer.vocabSize} or more`,
      );
    source = `${family === 'bert' ? 'WordPiece' : `byte-level BPE (${family})`} trained on the train split (${((performance.now() - t0) / 1000).toFixed(1)} s)`;
  }
  return { tokenizer, source };
}

/** The run's tokenizer (`runDir`'s own when given and saved there) and its tokenized corpus, split by document with (splitSeed, validationFraction). */
export async function prepareData(
  config: Readonly<Config>,
  runDir: string | undefined,
  initTokenizer?: string,
): Promise<TrainInputs> {
  const task = resolveTask(config);
  const split: SplitOptions = { seed: config.splitSeed, validationFraction: config.validationFraction };
  const { tokenizer, source } = await resolveTokenizer(config, task, runDir, split, initTokenizer);
  const sides = {
    train: new CorpusTokenizer(tokenizer, task.unit),
    validation: new CorpusTokenizer(tokenizer, task.unit),
  };
  const documents = { train: 0, validation: 0 };
  for await (const doc of runDocuments(config)) {
    const side = splitOf(doc.id, split);
    sides[side].add(doc);
    documents[side]++;
  }
  checkSplit(config, documents);
  return {
    tokenizer,
    tokenizerSource: source,
    data: { train: sides.train.finish(), validation: sides.validation.finish() },
    documents,
  };
}

// A corpus too small for the split says so: no training document is an error, no validation document a warning.
function checkSplit(config: Readonly<Config>, documents: { train: number; validation: number }): void {
  const total = documents.train + documents.validation;
  const f = `--validation-fraction ${config.validationFraction}`;
  const docs = `${total} document${total === 1 ? '' : 's'}`;
  if (documents.train === 0)
    throw new PretextError(
      `${config.corpus}: its ${docs} all fell in the validation split (${f}); give a larger corpus or a smaller --validation-fraction`,
    );
  if (documents.validation === 0 && config.validationFraction > 0) {
    process.stderr.write(
      `pretext: warning: ${config.corpus} has ${docs}, too few to hold out validation documents at ${f}: this run has no validation (give more documents, a larger --validation-fraction, or --validation-fraction 0)\n`,
    );
  }
}
