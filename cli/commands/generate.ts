// pretext generate: continue a prompt with a trained GPT-2 (clm) run (KV-cached sampling), or fill new tokens after
// it with a BERT (mlm) run by iterative mask-predict; each with its own seeded sampler.
import { PretextError } from '../../src/errors.js';
import { generate } from '../../src/eval/generate.js';
import { maskPredict, type MaskPredictResult } from '../../src/eval/mask-predict.js';
import { isBertConfig } from '../../src/model/index.js';
import { formatHelp, helpFlag, parseArgs, type FlagSpec } from '../args.js';
import { inferenceFlags, requireRun, withSavedModel } from '../train-infer.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'run', type: 'string', help: 'run folder (its newest checkpoint) or a checkpoint folder (required)' },
  { name: 'max-new-tokens', type: 'int', default: 20, min: 0, help: 'tokens to generate at most (mlm: exactly)' },
  {
    name: 'temperature',
    type: 'number',
    default: 1,
    min: 0,
    help: 'softmax temperature; 0 = greedy (mlm: the most probable token per position)',
  },
  { name: 'top-k', type: 'int', default: 0, min: 0, help: 'sample among the k most likely tokens; 0 = all' },
  { name: 'seed', type: 'int', default: 0, min: 0, help: 'seed of the sampler' },
  {
    name: 'iterations',
    type: 'int',
    default: 10,
    min: 1,
    help: 'mlm runs: mask-predict passes (re-mask the least confident tokens, predict again)',
  },
  { name: 'steps', type: 'boolean', default: false, help: 'mlm runs: print the text after every mask-predict pass' },
  {
    name: 'json',
    type: 'boolean',
    default: false,
    help: 'print {"input_ids", "output_ids", "completion", "text", "stopped"} (mlm: and "steps")',
  },
  ...inferenceFlags,
  helpFlag,
];

const USAGE =
  'pretext generate --run runs/NAME "The cat" [--max-new-tokens 20] [--temperature T] [--top-k K] [--seed S] [--iterations I] [--json]';
const ABOUT = `Continue a prompt with a trained run.
  clm (GPT-2): left to right with a KV cache; stops at the end-of-text token or after --max-new-tokens.
  mlm (BERT): mask-predict (Ghazvininejad et al. 2019): [CLS] prompt [MASK] x N [SEP], predict all N at once, then
  re-mask the least confident and predict them again, --iterations passes in all.`;

export const generateCommand: Command = {
  name: 'generate',
  summary: 'continue a prompt with a trained clm run (or an mlm run by mask-predict)',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    requireRun(args);
    if (args.positionals.length > 1) throw new PretextError(`expected one prompt, got ${args.positionals.length}`);
    const prompt = args.positionals[0] ?? '';
    const sampling = {
      temperature: args.flags.temperature as number,
      topK: args.flags['top-k'] as number,
      seed: args.flags.seed as number,
    };
    const result = await withSavedModel(
      args,
      null,
      () => '',
      (model, tok) =>
        isBertConfig(model.config)
          ? maskPredict(model, tok, prompt, {
              ...sampling,
              newTokens: args.flags['max-new-tokens'] as number,
              iterations: args.flags.iterations as number,
            })
          : generate(model, tok, prompt, { ...sampling, maxNewTokens: args.flags['max-new-tokens'] as number }),
    );
    if (args.flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      const steps = (result as MaskPredictResult).steps;
      if (args.flags.steps && steps)
        steps.forEach((s, i) => process.stdout.write(`pass ${i + 1} (${s.predicted} predicted): ${s.completion}\n`));
      process.stdout.write(`${result.text}\n`);
    }
    return 0;
  },
};
