// pretext transform: apply an objective to token rows, documents, or text (tokenized on the way); tokenizer-agnostic.
import { PretextError } from '../../src/errors.js';
import type { DocumentExample, ModelInput, TokenExample } from '../../src/batch/row.js';
import type { Document } from '../../src/corpus/index.js';
import { isDocumentObjective, type Objective } from '../../src/objectives/objective.js';
import { formatHelp, helpFlag, parseArgs, type FlagSpec, type ParsedArgs } from '../args.js';
import { familyOf } from '../default-tokenizers.js';
import { documentRowOf, tokenRowsOf, wordsFlag, type RowUnit, type WordSource } from '../encode-rows.js';
import { openRowInput, type RowInput } from '../io/row-input.js';
import { argumentDocument, corpusOptionsOf, inputPath, textInputFlags } from '../io/text-input.js';
import { checkOutputFile, openOutput } from '../output.js';
import {
  findObjective,
  inFlagWords,
  objectiveFlag,
  optionFlags,
  readTokenizer,
  resolveFromFlags,
  seedFlags,
  vocabFlags,
  vocabFromFlags,
} from '../objective-flags.js';
import { serializeExample } from '../rows.js';
import type { Command } from './command.js';

const baseFlags: FlagSpec[] = [
  objectiveFlag(),
  ...textInputFlags.map((f) =>
    f.name === 'in'
      ? {
          ...f,
          help: 'input: token rows {"input_ids", "word_ids"?} or documents {"id", "sentences", "word_ids"?} as JSONL or Parquet, or text (.txt, a folder, JSONL/Parquet with a text field) to tokenize with --tokenizer; - reads standard input',
        }
      : f,
  ),
  {
    name: 'out',
    alias: 'o',
    type: 'string',
    help: 'output JSONL, one example per line, written atomically (default: standard output)',
  },
  {
    name: 'unit',
    type: 'string',
    default: 'document',
    choices: ['document', 'sentence'],
    help: 'text input: one token row per document or per sentence',
  },
  { ...wordsFlag, help: `text input: ${wordsFlag.help}` },
  ...seedFlags,
  ...vocabFlags,
  helpFlag,
];

const USAGE = 'pretext transform --objective NAME --in rows.jsonl --out out.jsonl --tokenizer tok.json [options]';
const ABOUT = `Apply an objective to token rows (one example per row), documents of sentences (nsp, sop), or text, which
--tokenizer tokenizes on the way (a row per document, or per sentence with --unit sentence). Special ids come
from --tokenizer or from the id flags.`;

const ROW_FORMS = {
  'token-rows': 'token rows {"input_ids": [...]}',
  'document-rows': 'documents {"id", "sentences": [[...], ...]}',
};

/** The objective's input from text: a tokenizer is needed to make rows of it. */
function rowsOfText(
  o: Objective,
  args: ParsedArgs,
  docs: Document[],
  name: string,
): { rows?: Iterable<TokenExample>; docs?: DocumentExample[] } {
  if (!args.flags.tokenizer)
    throw new PretextError(
      `${name} holds text: give --tokenizer tokenizer.json to tokenize it on the way (or make rows with pretext tokenizer encode)`,
    );
  const tok = readTokenizer(args.flags.tokenizer as string);
  const words = args.flags.words as WordSource;
  if (isDocumentObjective(o)) return { docs: docs.map((d) => documentRowOf(d, tok, words)) };
  return {
    rows: tokenRowsOf(docs, tok, {
      addSpecialTokens: familyOf(o.id).addSpecialTokens,
      unit: args.flags.unit as RowUnit,
      words,
    }),
  };
}

/** Rows of the form the objective takes; the other form is refused naming both. */
async function objectiveInput(
  o: Objective,
  args: ParsedArgs,
): Promise<{ rows?: Iterable<TokenExample>; docs?: DocumentExample[]; name: string }> {
  const path = inputPath(args);
  if (path === undefined) {
    if (!args.positionals.length)
      throw new PretextError(
        'give the input: --in FILE (token rows, documents or text), - for standard input, or a text argument',
      );
    return {
      ...rowsOfText(
        o,
        args,
        [argumentDocument(args, 'pretext transform --objective mlm "The cat sat." --tokenizer tok.json')],
        'the argument',
      ),
      name: 'the argument',
    };
  }
  const input: RowInput = await openRowInput(path, corpusOptionsOf(args));
  if (input.kind === 'text') return { ...rowsOfText(o, args, await input.documents(), input.name), name: input.name };
  const wants = isDocumentObjective(o) ? 'document-rows' : 'token-rows';
  if (input.kind !== wants) {
    const how =
      wants === 'document-rows'
        ? 'pretext tokenizer encode --sentences makes them from text'
        : 'pretext tokenizer encode makes them from text';
    throw new PretextError(
      `${o.id} takes ${ROW_FORMS[wants]}, but ${input.name} holds ${ROW_FORMS[input.kind]} (${how})`,
    );
  }
  return input.kind === 'document-rows'
    ? { docs: input.rows(), name: input.name }
    : { rows: input.rows(), name: input.name };
}

export const transformCommand: Command = {
  name: 'transform',
  summary: 'apply an objective to token rows, documents or text (JSONL out)',
  async run(argv) {
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    const objective = wantsHelp
      ? (() => {
          try {
            return findObjective(argv);
          } catch {
            return undefined;
          }
        })()
      : findObjective(argv);
    const flags = [...baseFlags, ...(objective ? optionFlags(objective) : [])];
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      const extra = objective ? '' : '\nObjective options are listed by: pretext transform --objective NAME --help\n';
      process.stdout.write(formatHelp(USAGE, ABOUT, flags) + extra);
      return 0;
    }
    const o = objective!;
    const output = args.flags.out as string | undefined;
    if (output !== undefined) checkOutputFile(output);
    const vocab = vocabFromFlags(args);
    const opts = resolveFromFlags(o, args);
    const ctx = { seed: args.flags.seed as number, epoch: args.flags.epoch as number, vocab };
    const input = await objectiveInput(o, args);
    if (input.docs && input.docs.length === 0) throw new PretextError(`${input.name}: no rows`);
    const outputs: Iterable<ModelInput> = isDocumentObjective(o)
      ? o.transform(input.docs!, opts, ctx)
      : o.transform(input.rows!, opts, ctx);
    const writer = openOutput(output);
    let count = 0;
    try {
      inFlagWords(o, () => {
        for (const ex of outputs) {
          writer.write(serializeExample(ex) + '\n');
          count++;
        }
      });
      if (count === 0) throw new PretextError(`${input.name}: no rows`);
      writer.commit();
    } catch (e) {
      writer.abort();
      throw e;
    }
    if (output !== undefined) process.stderr.write(`pretext: wrote ${count} examples to ${output}\n`);
    return 0;
  },
};
