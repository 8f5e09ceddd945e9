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
import { findObjective, objectiveFlag } from '../objective-flags.js';
import { mergeShards } from '../prepare/merge.js';
import { PrepareProgress } from '../prepare/progress.js';
import { runStream } from '../prepare/stream-run.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'corpus', type: 'string', default: 'brown', help: 'brown, a folder of .txt files, or a .txt / .jsonl / .parquet file' },
  { name: 'text-field', type: 'string', help: 'JSONL field / Parquet column with the text (default: text)' },
  { name: 'tokenizer', type: 'string', help: "tokenizer.json (default: pretext's built-in Brown tokenizer of the objective's family)" },
  objectiveFlag('mlm'),
  { name: 'format', type: 'string', default: 'megatron', choices: ['megatron', 'npy'], help: 'megatron: NAME.bin + NAME.idx (MMIDIDX); npy: NAME.tokens/sequences/documents.npy' },
  { name: 'seq-len', type: 'int', default: 512, help: 'the sequence length the data is for (recorded in the manifest)' },
  { name: 'out', type: 'string', help: 'output folder' },
  { name: 'workers', type: 'int', default: 1, help: 'tokenizing threads (the output is the same for any count)' },
  { name: 'num-shards', type: 'int', default: 1, help: 'split the corpus into n shards (document d goes to shard d mod n)' },
  { name: 'shard-index', type: 'int', help: 'build only this shard (one machine of n: Kubernetes Indexed Job, SLURM array); default: all' },
  { name: 'seed', type: 'int', default: 0, help: 'random seed (recorded; token streams are not random)' },
  { name: 'merge', type: 'boolean', default: false, help: 'join the finished shards in --out into merged.* (documents in corpus order)' },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext prepare --corpus PATH|brown --objective clm --out data/NAME [--format megatron|npy] [--workers N] [--shard-index i --num-shards n]';
const ABOUT = `Prepare a corpus for large trainers: token streams that mask or pack inside the trainer.
Objectives of the bert family (mlm, nsp, sop, ...) give one sequence per sentence grouped by document (Megatron's
--split-sentences); the others give one sequence per document ended by the end-of-text token (--append-eod).
A re-run skips shards whose files match their manifest and rebuilds corrupt ones.
Exit codes: 0 done, 2 bad input or settings, 1 internal error.`;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const prepareCommand: Command = {
  name: 'prepare',
  summary: 'prepare a corpus as sharded token streams (Megatron .bin/.idx, .npy)',
  async run(argv) {
    const args = parseArgs(argv, flags);
    const f = args.flags;
    if (f.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    if (args.positionals.length) throw new PretextError(`unexpected argument '${args.positionals[0]}'`);
    const out = f.out as string | undefined;
    if (!out) throw new PretextError('--out is required');
    if (statSync(out, { throwIfNoEntry: false })?.isFile()) throw new PretextError(`--out ${out} is a file; give a folder`);
    if (f.merge) {
      const m = mergeShards(out);
      process.stderr.write(`pretext: merged ${m.documents} documents, ${m.sequences} sequences, ${m.tokens} tokens into ${m.files.join(', ')} in ${out}\n`);
      return 0;
    }
    const o = findObjective(argv, 'mlm');
    const family = familyOf(o.id);
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
    const eosId = unit === 'document' ? (vocab.eosId ?? vocab.sepId) : undefined;
    if (unit === 'document' && eosId === undefined) throw new PretextError(`${tokPath} has no end-of-text token to end each document`);
    const numShards = f['num-shards'] as number;
    const shardIndex = f['shard-index'] as number | undefined;
    checkShards({ index: shardIndex ?? 0, count: numShards });
    const workers = f.workers as number;
    if (!(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new PretextError(`--workers must be an integer in [1, 64], got ${workers}`);
    const seqLen = f['seq-len'] as number;
    if (!(seqLen >= 2)) throw new PretextError(`--seq-len must be at least 2, got ${seqLen}`);
    const corpus = f.corpus as string;
    const settings: PrepareSettings & { format: 'megatron' | 'npy'; dtype: 'uint16' | 'int32' } = {
      format: f.format as 'megatron' | 'npy',
      objective: o.id,
      unit,
      corpus: corpus === 'brown' ? 'brown' : basename(corpus),
      tokenizer: { file: basename(tokPath), sha256: sha256(tokJson), vocabSize: vocab.vocabSize },
      dtype: tokenDtype(vocab.vocabSize),
      seqLen,
      seed: f.seed as number,
      numShards,
    };
    const shards = shardIndex === undefined ? Array.from({ length: numShards }, (_, i) => i) : [shardIndex];
    const progress = new PrepareProgress(corpus, process.stderr.isTTY === true);
    const log = (line: string) => progress.note(`pretext: ${line}`);
    const docs = openCorpus(corpus, { textField: f['text-field'] as string | undefined });
    const r = await runStream({ dir: out, docs, settings, encode: { tokenizer: tokJson, unit, eosId }, shards, workers, progress: (d, t, c) => progress.update(d, t, c), log });
    progress.finish();
    for (const m of r.built) log(`${shardName(m.shard.index, numShards)}: ${m.counts.documents} documents, ${m.counts.sequences} sequences, ${m.counts.tokens} tokens`);
    log(r.complete ? `all ${numShards} shard(s) done; ${out}/index.json lists them` : `waiting for the other shards before index.json is written`);
    return 0;
  },
};
