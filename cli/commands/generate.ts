// pretext generate: continue a prompt with a trained GPT-2 (clm) run; its own seeded sampler.
import { PretextError } from '../../src/errors.js';
import { generate } from '../../src/eval/generate.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { inferenceFlags, requireRun, withSavedModel } from '../train-infer.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'run', type: 'string', help: 'run folder (its newest checkpoint) or a checkpoint folder (required)' },
  { name: 'max-new-tokens', type: 'int', default: 20, help: 'tokens to generate at most' },
  { name: 'temperature', type: 'number', default: 1, help: 'softmax temperature; 0 = greedy' },
  { name: 'top-k', type: 'int', default: 0, help: 'sample among the k most likely tokens; 0 = all' },
  { name: 'seed', type: 'int', default: 0, help: 'seed of the sampler' },
  { name: 'json', type: 'boolean', default: false, help: 'print {"input_ids", "output_ids", "completion", "text", "stopped"}' },
  ...inferenceFlags,
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext generate --run runs/NAME "The cat" [--max-new-tokens 20] [--temperature T] [--top-k K] [--seed S] [--json]';
const ABOUT = 'Continue a prompt with a trained clm run. Stops at the end-of-text token or after --max-new-tokens.';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'continue a prompt with a trained clm run',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    requireRun(args);
    if (args.positionals.length > 1) throw new PretextError(`expected one prompt, got ${args.positionals.length}`);
    const result = await withSavedModel(args, 'gpt2', (run, found) => `${run} is a ${found} (mlm) run; generate needs a clm run (use pretext predict)`, (model, tok) =>
      generate(model, tok, args.positionals[0] ?? '', {
        maxNewTokens: args.flags['max-new-tokens'] as number,
        temperature: args.flags.temperature as number,
        topK: args.flags['top-k'] as number,
        seed: args.flags.seed as number,
      }),
    );
    process.stdout.write(args.flags.json ? `${JSON.stringify(result)}\n` : `${result.text}\n`);
    return 0;
  },
};
