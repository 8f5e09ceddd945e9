// pretext show: one objective on one text, in colour (or --json): what the model sees and what it must predict.
// The view itself (roles, rows, legend, pair provenance) is src/view's, shared with the playground; this paints it.
import { examplesOf, familyOf, viewExample } from '../../src/view/index.js';
import { formatHelp, helpFlag, parseArgs, type FlagSpec } from '../args.js';
import { defaultTokenizer } from '../default-tokenizers.js';
import { loadBrownSample } from '../brown-sample.js';
import {
  findObjective,
  inFlagWords,
  objectiveFlag,
  optionFlags,
  readTokenizer,
  resolveFromFlags,
  seedFlags,
} from '../objective-flags.js';
import { firstTexts, inputPath, textInputFlags } from '../io/text-input.js';
import { paintView, painter } from '../render.js';
import { serializeExample } from '../rows.js';
import type { Command } from './command.js';

const baseFlags: FlagSpec[] = [
  objectiveFlag('mlm'),
  ...seedFlags,
  {
    name: 'json',
    type: 'boolean',
    default: false,
    help: 'print the fields as JSON lines instead of the coloured view',
  },
  {
    name: 'tokenizer',
    type: 'string',
    help: "tokenizer.json to use (default: pretext's built-in tokenizer for the objective's family, trained on Brown)",
  },
  {
    name: 'words',
    type: 'string',
    default: 'reference',
    choices: ['reference', 'pre-tokenizer'],
    help: "word ids for whole-word and span masking: the tokenizer family's reference rule, or the pre-tokenizer's words",
  },
  { name: 'color', type: 'string', default: 'auto', choices: ['auto', 'always', 'never'], help: 'colour output' },
  { name: 'width', type: 'int', min: 20, help: 'wrap width in columns (default: the terminal width, or 100)' },
  ...textInputFlags,
  { name: 'max-docs', type: 'int', default: 5, min: 1, help: 'with --in or -: show the first N documents' },
  helpFlag,
];

const USAGE =
  'pretext show "The cat sat on the mat." --objective mlm [--seed 7] [--json] [objective options]\n       pretext show --in FILE | - --objective NAME';
const ABOUT = `Show an objective on a text: the model inputs, what is selected or corrupted, and the targets. The text is
the argument, the first --max-docs documents of --in FILE (.txt, a folder, JSONL, Parquet), or standard input (-).
For nsp/sop the text is document 0 and other documents come from the Brown corpus.`;
const EXAMPLE = 'pretext show "The cat sat on the mat."';

export const showCommand: Command = {
  name: 'show',
  summary: 'show an objective on a text, in colour (or --json)',
  async run(argv) {
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    const objective = findObjective(argv, 'mlm');
    const flags = [...baseFlags, ...optionFlags(objective)];
    const args = parseArgs(argv, flags);
    if (wantsHelp) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    const { texts, more } = await firstTexts(args, args.flags['max-docs'] as number, EXAMPLE);
    if (more)
      process.stderr.write(
        `pretext: showing the first ${texts.length} document${texts.length > 1 ? 's' : ''} of ${inputPath(args) === '-' ? 'stdin' : inputPath(args)} (--max-docs N shows more)\n`,
      );
    const tok = args.flags.tokenizer ? readTokenizer(args.flags.tokenizer as string) : defaultTokenizer(objective.id);
    const vocab = tok.vocabInfo();
    const ctx = { seed: args.flags.seed as number, epoch: args.flags.epoch as number };
    const otherDocuments = objective.needs.documents ? await loadBrownSample(12) : [];
    const options = resolveFromFlags(objective, args);
    const words = args.flags.words as 'reference' | 'pre-tokenizer';
    const examples = inFlagWords(objective, () =>
      texts.flatMap((text) => examplesOf({ objective, text, tokenizer: tok, options, ...ctx, otherDocuments, words })),
    );
    if (args.flags.json) {
      for (const ex of examples) process.stdout.write(serializeExample(ex) + '\n');
      return 0;
    }
    const colourFlag = args.flags.color as string;
    const colour =
      colourFlag === 'always' || (colourFlag === 'auto' && process.stdout.isTTY === true && !process.env.NO_COLOR);
    const maxWidth = (args.flags.width as number | undefined) ?? (process.stdout.columns || 100);
    const p = painter(colour);
    process.stdout.write(
      `${objective.id}: ${objective.title} — ${objective.summary}\nseed ${ctx.seed}, epoch ${ctx.epoch}, tokenizer ${args.flags.tokenizer ?? familyOf(objective.id).name}\n\n`,
    );
    examples.forEach((ex, k) => {
      if (examples.length > 1) process.stdout.write(`example ${k + 1} of ${examples.length}\n`);
      process.stdout.write(paintView(viewExample(objective, ex, tok, vocab), p, maxWidth) + '\n\n');
    });
    return 0;
  },
};
