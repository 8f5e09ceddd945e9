// pretext demo (npm start): the whole demo on the built-in Brown corpus, on a fixed token budget: a tour (every
// objective shown on Brown text), then a short comparison (MLM vs CLM, and NSP vs SOP when the trainer trains them)
// with a progress bar per run, then the report it wrote and the path to open. --fast (or PRETEXT_DEMO_FAST=1):
// a 32-wide model and a few steps, for tests.
import { resolve } from 'node:path';
import { objectives } from '../../src/objectives/index.js';
import { formatHelp, helpFlag, parseArgs, type FlagSpec } from '../args.js';
import { loadBrownSample } from '../brown-sample.js';
import type { Command } from './command.js';
import { compare } from './compare.js';
import { showCommand } from './show.js';

const flags: FlagSpec[] = [
  { name: 'seed', type: 'int', default: 7, min: 0, help: 'random seed for every objective of the tour' },
  { name: 'out', type: 'string', default: 'reports/demo', help: 'report folder of the comparison' },
  { name: 'corpus', type: 'string', default: 'brown', help: 'corpus of the comparison' },
  {
    name: 'fast',
    type: 'boolean',
    default: false,
    help: 'a tiny model and budget (seconds, for tests); also PRETEXT_DEMO_FAST=1',
  },
  { name: 'tour-only', type: 'boolean', default: false, help: 'only the tour, no training' },
  helpFlag,
];

// The comparison: MLM, CLM, NSP and SOP, two seeds, 64 steps of the tiny preset per run (64 x 32 x 128 = 262,144
// tokens): 8 runs, 2.1 M tokens in all, two runs at a time (--jobs 2: one engine thread each, the same results as
// one at a time), then the evaluations (500 probe chunks, 3,000 sentences, 5,000 held-out tokens, 300 pairs per
// run). A token budget, not a wall-clock one, so the demo trains the same steps on any machine.
const DEMO_STEPS = 64;
const FULL = [
  '--tokens',
  String(DEMO_STEPS * 32 * 128),
  '--seeds',
  '2',
  '--preset',
  'tiny',
  '--chunks-per-doc',
  '1',
  '--max-tokens',
  '5000',
  '--max-pairs',
  '300',
  '--evals',
  'probe-genre,probe-sentiment,fill-mask,perplexity,pair',
  '--jobs',
  '2',
];
const FAST = [
  '--tokens',
  '2048',
  '--seeds',
  '2',
  '--tokenizer',
  'train',
  '--vocab-size',
  '600',
  '--hidden-size',
  '32',
  '--num-heads',
  '2',
  '--ffn-size',
  '64',
  '--seq-len',
  '32',
  '--max-positions',
  '32',
  '--batch-size',
  '8',
  '--eval-batches',
  '2',
  '--validation-fraction',
  '0.1',
  '--evals',
  'probe-sentiment,fill-mask,perplexity,pair',
  '--max-tokens',
  '1000',
  '--max-pairs',
  '50',
];

async function tour(seed: number): Promise<number> {
  const [doc] = await loadBrownSample(1);
  const sentence = doc.sentences[0];
  const passage = doc.sentences.slice(0, 4).join(' ');
  process.stdout.write(`pretext tour — Brown corpus document ${doc.id} (${doc.meta.genre})\n\n`);
  for (const o of objectives) {
    const text = o.needs.documents ? passage : sentence;
    process.stdout.write(`${'─'.repeat(30)} ${o.id} ${'─'.repeat(Math.max(0, 40 - o.id.length))}\n`);
    const code = await showCommand.run([text, '--objective', o.id, '--seed', String(seed)]);
    if (code !== 0) return code;
  }
  return 0;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the tour of every objective on Brown, then a short MLM vs CLM (NSP vs SOP) comparison and its report',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(
        formatHelp(
          'pretext demo [--seed N] [--out reports/demo] [--fast] [--tour-only]',
          'Show every objective on Brown text, then compare MLM vs CLM (and NSP vs SOP when trainable) on a short budget and write the report.',
          flags,
        ),
      );
      return 0;
    }
    const code = await tour(args.flags.seed as number);
    if (code !== 0 || args.flags['tour-only']) return code;
    const fast = args.flags.fast === true || process.env.PRETEXT_DEMO_FAST === '1';
    const out = args.flags.out as string;
    process.stdout.write(
      `\n${'─'.repeat(30)} compare ${'─'.repeat(33)}\nTraining MLM, CLM, NSP and SOP under one budget (${fast ? 'fast: a tiny model' : `${DEMO_STEPS} steps of the tiny preset per run, 2 seeds, two at a time`}).\n`,
    );
    const report = (await compare([
      '--objectives',
      'mlm,clm,nsp,sop',
      ...(fast ? FAST : FULL),
      '--corpus',
      args.flags.corpus as string,
      '--out',
      out,
    ])) as string; // no --run-one: the report's path
    process.stdout.write(
      `\nThe report: ${resolve(report)}\n  open it in a browser (it is one self-contained file); results.json beside it holds every number.\nTry: pretext compare --help; pretext show "your text" --objective NAME; pretext --help\n`,
    );
    return 0;
  },
};
