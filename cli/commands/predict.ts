// pretext predict: fill the [MASK] tokens of a text with a trained BERT (mlm) run.
import { PretextError } from '../../src/errors.js';
import { fillMask } from '../../src/eval/fill-mask.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { inferenceFlags, requireRun, withSavedModel } from '../train-infer.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'run', type: 'string', help: 'run folder (its newest checkpoint) or a checkpoint folder (required)' },
  { name: 'top-k', type: 'int', default: 5, help: 'predictions per [MASK]' },
  { name: 'json', type: 'boolean', default: false, help: 'print {"input_ids", "predictions": [{"position", "top": [{"id", "token", "prob"}]}]}' },
  ...inferenceFlags,
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext predict --run runs/NAME "The cat [MASK] on the mat." [--top-k 5] [--json]';
const ABOUT = 'Fill-mask with a trained mlm run: the most probable tokens at each [MASK].';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'fill [MASK] tokens with a trained mlm run',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    requireRun(args);
    if (args.positionals.length !== 1) throw new PretextError(args.positionals.length ? `expected one text, got ${args.positionals.length}` : 'give the text to fill, e.g. "The cat [MASK] on the mat."');
    const k = args.flags['top-k'] as number;
    if (k < 1) throw new PretextError(`--top-k must be at least 1, got ${k}`);
    const result = await withSavedModel(args, 'bert', (run, found) => `${run} is a ${found} (clm) run; predict fills [MASK] with an mlm run (use pretext generate)`, (model, tok) => fillMask(model, tok, args.positionals[0], k));
    if (args.flags.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    for (const p of result.predictions) {
      process.stdout.write(`[MASK] at ${p.position}:\n`);
      for (const t of p.top) process.stdout.write(`  ${t.token.padEnd(16)} ${t.prob.toFixed(4)}\n`);
    }
    return 0;
  },
};
