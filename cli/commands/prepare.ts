// pretext prepare: a corpus as the token streams big trainers read (Megatron-LM .bin/.idx, NumPy .npy), streamed,
// on worker threads, sharded for many machines, with manifests that let a re-run skip finished shards.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { tokenDtype } from '../../src/prepare/megatron.js';
import type { PrepareSettings } from '../../src/prepare/manifest.js';
import { checkShards, shardName } from '../../src/prepare/shards.js';
import { loadTokenizer } from '../../src/tokenize/index.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { defaultTokenizerPath, familyOf } from '../default-tokenizers.js';
import { openCorpus } from '../io/corpus-files.js';
import { findObjective, objectiveFlag, optionFlags, optionValues } from '../objective-flags.js';
import type { RowFormat } from '../prepare/row-writer.js';
import { rowsSink } from '../prepare/rows-sink.js';
import { isDocumentObjective, type TokenObjective } from '../../src/objectives/objective.js';
import { mergeShards } from '../prepare/merge.js';
import { PrepareProgress } from '../prepare/progress.js';
import { runStream } from '../prepare/stream-run.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  {
    name: 'corpus',
    type: 'string',
    default: 'brown',
    help: 'brown, a folder of .txt files, or a .txt / .jsonl / .parquet file',
  },
  { name: 'text-field', type: 'string', help: 'JSONL field / Parquet column with the text (default: text)' },
  {
    name: 'tokenizer',
    type: 'string',
    help: "tokenizer.json (default: pretext's built-in Brown tokenizer of the objective's family)",
  },
  objectiveFlag('mlm'),
  {
    name: 'format',
    type: 'string',
    default: 'megatron',
    choices: ['megatron', 'npy', 'parquet', 'jsonl'],
    help: 'token streams: megatron (NAME.bin + NAME.idx, MMIDIDX) or npy (NAME.tokens/sequences/documents.npy); rows with static masks: npy with --epochs-of-masks (NAME.FIELD.npy), parquet, jsonl',
  },
  {
    name: 'epochs-of-masks',
    type: 'int',
    help: "rows with static masks: K epochs of the objective's masks per row (BERT's dupe_factor); default 1 for parquet and jsonl",
  },
  {
    name: 'seq-len',
    type: 'int',
    default: 512,
    help: 'the sequence length the data is for (recorded in the manifest)',
  },
  { name: 'out', type: 'string', help: 'output folder' },
  { name: 'workers', type: 'int', default: 1, help: 'tokenizing threads (the output is the same for any count)' },
  {
    name: 'num-shards',
    type: 'int',
    default: 1,
    help: 'split the corpus into n shards (document d goes to shard d mod n)',
  },
  {
    name: 'shard-index',
    type: 'int',
    help: 'build only this shard (one machine of n: Kubernetes Indexed Job, SLURM array); default: all',
  },
  { name: 'seed', type: 'int', default: 0, help: 'random seed (recorded; token streams are not random)' },
  {
    name: 'merge',
    type: 'boolean',
    default: false,
    help: 'join the finished shards in --out into merged.* (documents in corpus order)',
  },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE =
  'pretext prepare --corpus PATH|brown --objective clm --out data/NAME [--format megatron|npy] [--workers N] [--shard-index i --num-shards n]';
const ABOUT = `Prepare a corpus for large trainers: token streams that mask or pack inside the trainer, or rows with
static masks. Streams: objectives of the bert family (mlm, nsp, sop, ...) give one sequence per sentence grouped by
document (Megatron's --split-sentences); the others one sequence per document ended by the end-of-text token
(--append-eod). Rows (--epochs-of-masks K; parquet and jsonl): FULL-SENTENCES rows within each document, each
masked K times by the objective (its options are flags here), HF column names (input_ids, labels, ...).
A re-run skips shards whose files match their manifest and rebuilds corrupt ones.
Exit codes: 0 done, 2 bad input or settings, 1 internal error.`;

// The objective's options are flags too (rows with static masks); an unknown --objective is reported later.
function optionFlagsOf(argv: readonly string[]): FlagSpec[] {
  try {
    return optionFlags(findObjective(argv, 'mlm'));
  } catch {
    return [];
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const prepareCommand: Command = {
  name: 'prepare',
  summary: 'prepare a corpus as sharded token streams (Megatron .bin/.idx, .npy)',
  async run(argv) {
    const allFlags = [...flags, ...optionFlagsOf(argv)];
    const args = parseArgs(argv, allFlags);
    const f = args.flags;
    if (f.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, allFlags));
      return 0;
    }
    if (args.positionals.length) throw new PretextError(`unexpected argument '${args.positionals[0]}'`);
    const out = f.out as string | undefined;
    if (!out) throw new PretextError('--out is required');
    if (statSync(out, { throwIfNoEntry: false })?.isFile())
      throw new PretextError(`--out ${out} is a file; give a folder`);
    if (f.merge) {
      const m = mergeShards(out);
      process.stderr.write(
        `pretext: merged ${m.documents} documents, ${m.sequences} sequences, ${m.tokens} tokens into ${m.files.join(', ')} in ${out}\n`,
      );
      return 0;
    }
    const o = findObjective(argv, 'mlm');
    const family = familyOf(o.id);
    const format = f.format as 'megatron' | 'npy' | 'parquet' | 'jsonl';
    const epochs =
      (f['epochs-of-masks'] as number | undefined) ?? (format === 'parquet' || format === 'jsonl' ? 1 : undefined);
    if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1 && epochs <= 1000))
      throw new PretextError(`--epochs-of-masks must be an integer in [1, 1000], got ${epochs}`);
    if (epochs !== undefined && format === 'megatron')
      throw new PretextError(
        '--epochs-of-masks writes rows (--format npy, parquet or jsonl); megatron holds token streams the trainer masks',
      );
    const tokPath = (f.tokenizer as string | undefined) ?? defaultTokenizerPath(family.name);
    let tokJson: string;
    try {
      tokJson = readFileSync(tokPath, 'utf8');
    } catch {
      throw new PretextError(`no such file: ${tokPath}`);
    }
    const tok = loadTokenizer(tokJson);
    const vocab = tok.vocabInfo();
    const unit = family.name === 'bert' ? 'sentence' : 'document';
    if (epochs !== undefined) {
      if (isDocumentObjective(o))
        throw new PretextError(
          `${o.id} builds pairs across the whole corpus: prepare token streams (--format megatron, or npy without --epochs-of-masks) and let the trainer pair them, or use pretext transform`,
        );
      if (unit !== 'sentence')
        throw new PretextError(
          `rows with static masks are built from FULL-SENTENCES rows (bert-family objectives: mlm, electra, spanbert, ...); for ${o.id} prepare token streams (--format megatron|npy)`,
        );
    }
    const eosId = unit === 'document' ? (vocab.eosId ?? vocab.sepId) : undefined;
    if (unit === 'document' && eosId === undefined)
      throw new PretextError(`${tokPath} has no end-of-text token to end each document`);
    const numShards = f['num-shards'] as number;
    const shardIndex = f['shard-index'] as number | undefined;
    checkShards({ index: shardIndex ?? 0, count: numShards });
    const workers = f.workers as number;
    if (!(Number.isInteger(workers) && workers >= 1 && workers <= 64))
      throw new PretextError(`--workers must be an integer in [1, 64], got ${workers}`);
    const seqLen = f['seq-len'] as number;
    if (!(seqLen >= 2)) throw new PretextError(`--seq-len must be at least 2, got ${seqLen}`);
    const corpus = f.corpus as string;
    const options = epochs === undefined ? undefined : o.resolve(optionValues(o, args));
    const settings: PrepareSettings = {
      format,
      objective: o.id,
      unit,
      corpus: corpus === 'brown' ? 'brown' : basename(corpus),
      tokenizer: { file: basename(tokPath), sha256: sha256(tokJson), vocabSize: vocab.vocabSize },
      dtype: tokenDtype(vocab.vocabSize),
      seqLen,
      seed: f.seed as number,
      numShards,
      ...(epochs === undefined ? {} : { epochsOfMasks: epochs, options: options as Record<string, unknown> }),
    };
    const sink =
      epochs === undefined
        ? undefined
        : (name: string) =>
            rowsSink(
              {
                dir: out,
                format: format as RowFormat,
                seqLen,
                vocab,
                objective: o as TokenObjective,
                options,
                seed: f.seed as number,
                epochs,
              },
              name,
            );
    const shards = shardIndex === undefined ? Array.from({ length: numShards }, (_, i) => i) : [shardIndex];
    const progress = new PrepareProgress(corpus, process.stderr.isTTY === true);
    const log = (line: string) => progress.note(`pretext: ${line}`);
    const docs = openCorpus(corpus, { textField: f['text-field'] as string | undefined });
    const r = await runStream({
      dir: out,
      docs,
      settings,
      sink,
      encode: { tokenizer: tokJson, unit, eosId },
      shards,
      workers,
      progress: (d, t, c) => progress.update(d, t, c),
      log,
    });
    progress.finish();
    for (const m of r.built)
      log(
        `${shardName(m.shard.index, numShards)}: ${m.counts.documents} documents, ${m.counts.rows !== undefined ? `${m.counts.rows} rows` : `${m.counts.sequences} sequences`}, ${m.counts.tokens} tokens`,
      );
    log(
      r.complete
        ? `all ${numShards} shard(s) done; ${out}/index.json lists them`
        : `waiting for the other shards before index.json is written`,
    );
    return 0;
  },
};
