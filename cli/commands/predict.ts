// pretext predict: fill the [MASK] tokens of a text with a trained BERT (mlm) run, or the sentinels
// (<extra_id_0>, ...) of a corrupted text with a trained T5 (span-corruption) run.
import { PretextError } from '../../src/errors.js';
import { fillMask } from '../../src/eval/fill-mask.js';
import { fillSentinels } from '../../src/eval/fill-sentinels.js';
import type { Model, T5Model } from '../../src/model/index.js';
import type { Tokenizer } from '../../src/tokenize/index.js';
import { formatHelp, helpFlag, parseArgs, type FlagSpec } from '../args.js';
import { inferenceFlags, requireRun, withSavedModel } from '../train-infer.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'run', type: 'string', help: 'run folder (its newest checkpoint) or a checkpoint folder (required)' },
  { name: 'top-k', type: 'int', default: 5, help: 'predictions per [MASK]' },
  { name: 'max-new-tokens', type: 'int', default: 64, help: 'T5: decoder tokens to write at most (greedy)' },
  {
    name: 'json',
    type: 'boolean',
    default: false,
    help: 'print {"input_ids", "predictions": [{"position", "top": [{"id", "token", "prob"}]}]}; T5: {"input_ids", "output_ids", "spans": [{"sentinel", "ids", "text"}]}',
  },
  ...inferenceFlags,
  helpFlag,
];

const USAGE =
  'pretext predict --run runs/NAME "The cat [MASK] on the mat." [--top-k 5] [--json]\n       pretext predict --run runs/T5 "The cat <extra_id_0> the mat." [--max-new-tokens 64] [--json]';
const ABOUT =
  'Fill-mask with a trained mlm run: the most probable tokens at each [MASK]. With a span-corruption (T5) run: the greedy decoder fills each sentinel.';
const SENTINEL = /^<extra_id_\d+>$/;

// T5: the text (its sentinels are the tokenizer's added tokens, eos appended; the space before a sentinel dropped,
// as span corruption cuts spans out of the token stream) -> the spans the decoder wrote.
function fillT5(model: Model, tok: Tokenizer, text: string, maxNewTokens: number) {
  const ids = tok.encode(text.replace(/\s+(?=<extra_id_\d+>)/g, '')).ids; // a span's leading space belongs to its first token
  const isSentinel = (id: number) => SENTINEL.test(tok.idToToken(id) ?? '');
  if (!Array.from(ids).some(isSentinel))
    throw new PretextError('the text has no sentinel to fill, e.g. "The cat <extra_id_0> the mat."');
  const fill = fillSentinels(model as T5Model, ids, isSentinel, maxNewTokens);
  const spans = fill.spans.map((s) => ({
    sentinel: tok.idToToken(s.sentinel) as string,
    ids: s.ids,
    text: tok.decode(s.ids, { skipSpecialTokens: true }),
  }));
  return { input_ids: Array.from(ids), output_ids: Array.from(fill.output), spans };
}

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
    if (args.positionals.length !== 1)
      throw new PretextError(
        args.positionals.length
          ? `expected one text, got ${args.positionals.length}`
          : 'give the text to fill, e.g. "The cat [MASK] on the mat."',
      );
    const k = args.flags['top-k'] as number;
    if (k < 1) throw new PretextError(`--top-k must be at least 1, got ${k}`);
    const maxNew = args.flags['max-new-tokens'] as number;
    if (maxNew < 1) throw new PretextError(`--max-new-tokens must be at least 1, got ${maxNew}`);
    const wrong = (run: string, found: string) =>
      `${run} is a ${found} (clm) run; predict fills [MASK] with an mlm run or sentinels with a span-corruption run (use pretext generate)`;
    const text = args.positionals[0];
    const result = await withSavedModel(args, ['bert', 'roberta-prelayernorm', 't5'], wrong, (model, tok) =>
      model.config.model_type === 't5' ? fillT5(model, tok, text, maxNew) : fillMask(model, tok, text, k),
    );
    if ('spans' in result) {
      if (args.flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else for (const s of result.spans) process.stdout.write(`${s.sentinel} ${s.text}\n`);
      return 0;
    }
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
