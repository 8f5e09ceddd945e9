// pretext tokenizer train | encode: train a WordPiece, byte-level BPE or Unigram vocabulary on a corpus, or encode a text.
import { PretextError } from '../../src/errors.js';
import { trainFamilyTokenizer, type TokenizerFamily } from '../../src/tokenize/families.js';
import { EXIT_CODES, formatHelp, helpFlag, parseArgs, suggestion, type FlagSpec, type ParsedArgs } from '../args.js';
import { maskingWordIds, type Tokenizer } from '../../src/tokenize/index.js';
import { openCorpus } from '../io/corpus-files.js';
import { documentRowOf, tokenRowsOf, wordsFlag, type RowUnit, type WordSource } from '../encode-rows.js';
import { corpusOptionsOf, inputPath, textDocuments, textInputFlags } from '../io/text-input.js';
import { readTokenizer } from '../objective-flags.js';
import { serializeRow } from '../rows.js';
import { checkOutputFile, openOutput, writeFileAtomic } from '../output.js';
import type { Command } from './command.js';

const trainFlags: FlagSpec[] = [
  {
    name: 'corpus',
    type: 'string',
    default: 'brown',
    help: "corpus: 'brown', a folder of .txt, a .txt, .jsonl or .parquet file",
  },
  {
    name: 'type',
    type: 'string',
    choices: ['wordpiece', 'bpe', 'unigram'],
    help: "model type (default: the family's: wordpiece for bert, byte-level bpe otherwise; unigram, SentencePiece-style, for t5)",
  },
  {
    name: 'family',
    type: 'string',
    default: 'bert',
    choices: ['bert', 'gpt2', 't5', 'bart'],
    help: 'special tokens: bert [PAD] [UNK] [CLS] [SEP] [MASK]; gpt2 <|endoftext|>; t5 <pad> </s> <unk> + 100 sentinels; bart <s> <pad> </s> <unk> <mask>',
  },
  { name: 'vocab-size', type: 'int', default: 8000, min: 1, help: 'vocabulary size including special tokens' },
  { name: 'min-frequency', type: 'int', default: 2, min: 1, help: 'pairs seen fewer times are not merged' },
  { name: 'lowercase', type: 'boolean', default: true, help: 'lowercase and strip accents (wordpiece)' },
  ...textInputFlags.filter((f) => f.name !== 'in'),
  { name: 'out', alias: 'o', type: 'string', help: 'where to write tokenizer.json (atomically)' },
  helpFlag,
];

const USAGE =
  'pretext tokenizer train --corpus brown --type wordpiece --vocab-size 8000 --out tok.json\n       pretext tokenizer encode --tokenizer tok.json "The cat sat." | --in FILE | -';

async function train(argv: string[]): Promise<number> {
  const args = parseArgs(argv, trainFlags);
  if (args.flags.help) {
    process.stdout.write(
      formatHelp(
        'pretext tokenizer train [options] --out tok.json',
        'Train a tokenizer on a corpus; writes a HF tokenizer.json that HF tokenizers load and encode identically.',
        trainFlags,
      ),
    );
    return 0;
  }
  const out = args.flags.out as string | undefined;
  if (!out) throw new PretextError('--out is required (where to write tokenizer.json)');
  checkOutputFile(out);
  const family = args.flags.family as TokenizerFamily;
  const type =
    (args.flags.type as 'wordpiece' | 'bpe' | 'unigram' | undefined) ?? (family === 'bert' ? 'wordpiece' : 'bpe');
  const texts: string[] = [];
  const t0 = Date.now();
  for await (const doc of openCorpus(args.flags.corpus as string, corpusOptionsOf(args))) texts.push(...doc.sentences);
  const tok = trainFamilyTokenizer(texts, {
    family,
    type,
    vocabSize: args.flags['vocab-size'] as number,
    minFrequency: args.flags['min-frequency'] as number,
    lowercase: args.flags.lowercase as boolean,
  });
  const asked = args.flags['vocab-size'] as number;
  if (tok.vocabSize > asked)
    throw new PretextError(
      `--vocab-size ${asked} is too small: the special tokens and the base alphabet (${type === 'bpe' ? 'the 256 bytes' : "the corpus's characters"}) alone take ${tok.vocabSize} entries; give --vocab-size ${tok.vocabSize} or more`,
    );
  writeFileAtomic(out, JSON.stringify(tok.toJSON(), null, 2) + '\n');
  process.stderr.write(
    `pretext: trained a ${type} tokenizer (${family} specials) with ${tok.vocabSize} entries on ${texts.length} sentences in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${out}\n`,
  );
  return 0;
}

const encodeFlags: FlagSpec[] = [
  { name: 'tokenizer', type: 'string', help: 'tokenizer.json (required)' },
  ...textInputFlags,
  { name: 'out', alias: 'o', type: 'string', help: 'output JSONL, written atomically (default: standard output)' },
  {
    name: 'sentences',
    type: 'boolean',
    default: false,
    help: 'write documents {"id", "sentences", "word_ids"} (what nsp and sop take) instead of token rows',
  },
  {
    name: 'unit',
    type: 'string',
    default: 'document',
    choices: ['document', 'sentence'],
    help: 'token rows: one per document (its sentences joined) or per sentence',
  },
  {
    name: 'no-special',
    type: 'boolean',
    default: false,
    help: 'token rows: do not add the special tokens ([CLS] ... [SEP])',
  },
  { name: 'tokens', type: 'boolean', default: false, help: 'token rows: also write each token as a string ("tokens")' },
  { name: 'pair', type: 'string', help: 'second sequence of a pair, for a text argument: adds "token_type_ids"' },
  { ...wordsFlag },
  helpFlag,
];

const ENCODE_ABOUT = `Tokenize text into the rows pretext transform reads, one JSON object per line:
  token rows  {"id", "input_ids": [...], "word_ids": [...]}: a row per document (or per sentence with --unit
              sentence), special tokens added unless --no-special; word_ids[i] is the word of token i (by the
              family's rule, see --words), -1 for special tokens (whole-word masking groups tokens by it)
  documents   (--sentences) {"id", "sentences": [[...], ...], "word_ids": [[...], ...]}: each sentence's ids,
              without special tokens (nsp/sop add [CLS] and [SEP] when they pair segments)
The text is the argument (one document), --in FILE (a .txt split into documents by --doc-sep, a folder of .txt,
JSONL with --text-field, Parquet with --text-column) or - for standard input.`;

async function encode(argv: string[]): Promise<number> {
  const args = parseArgs(argv, encodeFlags);
  if (args.flags.help) {
    process.stdout.write(
      formatHelp(
        'pretext tokenizer encode --tokenizer tok.json "The cat sat on the mat."\n       pretext tokenizer encode --tokenizer tok.json --in corpus.txt --sentences --out docs.jsonl',
        ENCODE_ABOUT,
        encodeFlags,
      ),
    );
    return 0;
  }
  if (!args.flags.tokenizer)
    throw new PretextError('--tokenizer is required (a tokenizer.json, e.g. from pretext tokenizer train)');
  const out = args.flags.out as string | undefined;
  if (out !== undefined) checkOutputFile(out);
  const tok = readTokenizer(args.flags.tokenizer as string);
  const pair = args.flags.pair as string | undefined;
  if (pair !== undefined && (inputPath(args) !== undefined || args.flags.sentences))
    throw new PretextError(
      '--pair encodes a text argument and its pair as one token row; it takes no --in and no --sentences',
    );
  const writer = openOutput(out);
  let count = 0;
  try {
    for await (const row of encodedRows(args, tok, pair)) {
      writer.write(`${serializeRow(row)}\n`);
      count++;
    }
    writer.commit();
  } catch (e) {
    writer.abort();
    throw e;
  }
  if (out !== undefined)
    process.stderr.write(`pretext: wrote ${count} ${args.flags.sentences ? 'documents' : 'token rows'} to ${out}\n`);
  return 0;
}

async function* encodedRows(args: ParsedArgs, tok: Tokenizer, pair: string | undefined): AsyncGenerator<object> {
  if (pair !== undefined) {
    const enc = tok.encode(args.positionals.join(' '), pair, { addSpecialTokens: !args.flags['no-special'] });
    const row: Record<string, unknown> = {
      id: 'text',
      input_ids: enc.ids,
      word_ids: maskingWordIds(tok, enc, args.flags.words === 'pre-tokenizer' ? 'pre-tokenizer' : undefined),
      token_type_ids: enc.typeIds,
    };
    if (args.flags.tokens) row.tokens = enc.tokens;
    yield row;
    return;
  }
  const words = args.flags.words as WordSource;
  const rowOpts = {
    addSpecialTokens: !args.flags['no-special'],
    unit: args.flags.unit as RowUnit,
    tokens: args.flags.tokens as boolean,
    words,
  };
  for await (const doc of textDocuments(args, 'pretext tokenizer encode --tokenizer tok.json "The cat sat."')) {
    if (args.flags.sentences) yield documentRowOf(doc, tok, words);
    else yield* tokenRowsOf([doc], tok, rowOpts);
  }
}

export const tokenizerCommand: Command = {
  name: 'tokenizer',
  summary: 'train a WordPiece / byte-level BPE tokenizer on a corpus, or encode a text',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'train') return train(rest);
    if (sub === 'encode') return encode(rest);
    if (sub === undefined || sub === '--help' || sub === '-h') {
      process.stdout.write(
        `Usage: ${USAGE}\n\nSubcommands: train, encode (pretext tokenizer SUB --help lists their options)\n\n${EXIT_CODES}`,
      );
      return 0;
    }
    throw new PretextError(
      `unknown tokenizer subcommand '${sub}'${suggestion(sub, ['train', 'encode'])} (train, encode)`,
    );
  },
};
