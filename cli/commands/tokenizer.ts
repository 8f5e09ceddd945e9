// pretext tokenizer train | encode: train a WordPiece, byte-level BPE or Unigram vocabulary on a corpus, or encode a text.
import { PretextError } from '../../src/errors.js';
import { trainFamilyTokenizer, type TokenizerFamily } from '../../src/tokenize/families.js';
import { EXIT_CODES, formatHelp, helpFlag, parseArgs, suggestion, type FlagSpec } from '../args.js';
import { openCorpus } from '../io/corpus-files.js';
import { readTokenizer } from '../objective-flags.js';
import { checkOutputFile, writeFileAtomic } from '../output.js';
import type { Command } from './command.js';

const trainFlags: FlagSpec[] = [
  { name: 'corpus', type: 'string', default: 'brown', help: "corpus: 'brown', a folder of .txt, a .txt, .jsonl or .parquet file" },
  { name: 'type', type: 'string', choices: ['wordpiece', 'bpe', 'unigram'], help: 'model type (default: the family\'s: wordpiece for bert, byte-level bpe otherwise; unigram, SentencePiece-style, for t5)' },
  { name: 'family', type: 'string', default: 'bert', choices: ['bert', 'gpt2', 't5', 'bart'], help: 'special tokens: bert [PAD] [UNK] [CLS] [SEP] [MASK]; gpt2 <|endoftext|>; t5 <pad> </s> <unk> + 100 sentinels; bart <s> <pad> </s> <unk> <mask>' },
  { name: 'vocab-size', type: 'int', default: 8000, min: 1, help: 'vocabulary size including special tokens' },
  { name: 'min-frequency', type: 'int', default: 2, min: 1, help: 'pairs seen fewer times are not merged' },
  { name: 'lowercase', type: 'boolean', default: true, help: 'lowercase and strip accents (wordpiece)' },
  { name: 'text-field', type: 'string', default: 'text', help: 'JSONL field / Parquet column holding the text' },
  { name: 'out', alias: 'o', type: 'string', help: 'where to write tokenizer.json (atomically)' },
  helpFlag,
];

const encodeFlags: FlagSpec[] = [
  { name: 'tokenizer', type: 'string', help: 'tokenizer.json (required)' },
  { name: 'pair', type: 'string', help: 'second sequence of a pair' },
  { name: 'no-special', type: 'boolean', default: false, help: 'do not add special tokens' },
  helpFlag,
];

const USAGE = 'pretext tokenizer train --corpus brown --type wordpiece --vocab-size 8000 --out tok.json\n       pretext tokenizer encode --tokenizer tok.json "text"';

async function train(argv: string[]): Promise<number> {
  const args = parseArgs(argv, trainFlags);
  if (args.flags.help) {
    process.stdout.write(formatHelp('pretext tokenizer train [options] --out tok.json', 'Train a tokenizer on a corpus; writes a HF tokenizer.json that HF tokenizers load and encode identically.', trainFlags));
    return 0;
  }
  const out = args.flags.out as string | undefined;
  if (!out) throw new PretextError('--out is required (where to write tokenizer.json)');
  checkOutputFile(out);
  const family = args.flags.family as TokenizerFamily;
  const type = (args.flags.type as 'wordpiece' | 'bpe' | 'unigram' | undefined) ?? (family === 'bert' ? 'wordpiece' : 'bpe');
  const texts: string[] = [];
  const t0 = Date.now();
  for await (const doc of openCorpus(args.flags.corpus as string, { textField: args.flags['text-field'] as string })) texts.push(...doc.sentences);
  const tok = trainFamilyTokenizer(texts, {
    family,
    type,
    vocabSize: args.flags['vocab-size'] as number,
    minFrequency: args.flags['min-frequency'] as number,
    lowercase: args.flags.lowercase as boolean,
  });
  const asked = args.flags['vocab-size'] as number;
  if (tok.vocabSize > asked) throw new PretextError(`--vocab-size ${asked} is too small: the special tokens and the base alphabet (${type === 'bpe' ? 'the 256 bytes' : "the corpus's characters"}) alone take ${tok.vocabSize} entries; give --vocab-size ${tok.vocabSize} or more`);
  writeFileAtomic(out, JSON.stringify(tok.toJSON(), null, 2) + '\n');
  process.stderr.write(`pretext: trained a ${type} tokenizer (${family} specials) with ${tok.vocabSize} entries on ${texts.length} sentences in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${out}\n`);
  return 0;
}

async function encode(argv: string[]): Promise<number> {
  const args = parseArgs(argv, encodeFlags);
  if (args.flags.help) {
    process.stdout.write(formatHelp('pretext tokenizer encode --tokenizer tok.json "text"', 'Encode a text (and optional pair) and print ids, tokens, word ids and type ids as JSON.', encodeFlags));
    return 0;
  }
  if (!args.flags.tokenizer) throw new PretextError('--tokenizer is required');
  const text = args.positionals.join(' ');
  const tok = readTokenizer(args.flags.tokenizer as string);
  const enc = tok.encode(text, args.flags.pair as string | undefined, { addSpecialTokens: !args.flags['no-special'] });
  process.stdout.write(JSON.stringify({ ids: Array.from(enc.ids), tokens: enc.tokens, word_ids: Array.from(enc.wordIds), type_ids: Array.from(enc.typeIds) }) + '\n');
  return 0;
}

export const tokenizerCommand: Command = {
  name: 'tokenizer',
  summary: 'train a WordPiece / byte-level BPE tokenizer on a corpus, or encode a text',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'train') return train(rest);
    if (sub === 'encode') return encode(rest);
    if (sub === undefined || sub === '--help' || sub === '-h') {
      process.stdout.write(`Usage: ${USAGE}\n\nSubcommands: train, encode (pretext tokenizer SUB --help lists their options)\n\n${EXIT_CODES}`);
      return 0;
    }
    throw new PretextError(`unknown tokenizer subcommand '${sub}'${suggestion(sub, ['train', 'encode'])} (train, encode)`);
  },
};
