// pretext transform: apply an objective to a JSONL file of token ids; tokenizer-agnostic.
import { PretextError } from '../../src/errors.js';
import { type DocumentExample, type ModelInput, type TokenExample } from '../../src/batch/row.js';
import { isDocumentObjective } from '../../src/objectives/objective.js';
import { formatHelp, helpFlag, parseArgs, type FlagSpec } from '../args.js';
import { readLinesSync } from '../lines.js';
import { checkOutputFile, SyncAtomicWriter } from '../output.js';
import { findObjective, inFlagWords, objectiveFlag, optionFlags, resolveFromFlags, seedFlags, vocabFlags, vocabFromFlags } from '../objective-flags.js';
import { parseDocumentRow, parseTokenRow, serializeExample } from '../rows.js';
import type { Command } from './command.js';

const baseFlags: FlagSpec[] = [
  objectiveFlag(),
  { name: 'in', type: 'string', help: 'input JSONL: {"input_ids": [...]} per row; for nsp/sop {"id", "sentences": [[...], ...], "word_ids"?: [[...], ...]} per document' },
  { name: 'out', alias: 'o', type: 'string', help: 'output JSONL, one example per line (written atomically)' },
  ...seedFlags,
  ...vocabFlags,
  helpFlag,
];

const USAGE = 'pretext transform --objective NAME --in in.jsonl --out out.jsonl [--seed N] [--epoch N] [options]';
const ABOUT = 'Apply an objective to token ids. Special ids come from --tokenizer or from the id flags.';

/** Non-empty lines of a file with their 1-based line numbers. */
function* numberedLines(path: string): Generator<[string, number]> {
  let n = 0;
  for (const line of readLinesSync(path)) {
    n++;
    if (line.trim() !== '') yield [line, n];
  }
}

export const transformCommand: Command = {
  name: 'transform',
  summary: 'apply an objective to a JSONL file of token ids',
  async run(argv) {
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    const objective = wantsHelp ? (() => { try { return findObjective(argv); } catch { return undefined; } })() : findObjective(argv);
    const flags = [...baseFlags, ...(objective ? optionFlags(objective) : [])];
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      const extra = objective ? '' : '\nObjective options are listed by: pretext transform --objective NAME --help\n';
      process.stdout.write(formatHelp(USAGE, ABOUT, flags) + extra);
      return 0;
    }
    if (args.positionals.length) throw new PretextError(`unexpected argument '${args.positionals[0]}'`);
    const input = args.flags.in as string | undefined;
    const output = args.flags.out as string | undefined;
    if (!input) throw new PretextError('--in is required');
    if (!output) throw new PretextError('--out is required');
    const o = objective!;
    const vocab = vocabFromFlags(args);
    checkOutputFile(output);
    const opts = resolveFromFlags(o, args);
    const ctx = { seed: args.flags.seed as number, epoch: args.flags.epoch as number, vocab };

    let outputs: Iterable<ModelInput>;
    if (isDocumentObjective(o)) {
      const docs: DocumentExample[] = [];
      for (const [line, n] of numberedLines(input)) docs.push(parseDocumentRow(line, `${input}:${n}`, docs.length));
      if (docs.length === 0) throw new PretextError(`${input}: no rows`);
      outputs = o.transform(docs, opts, ctx);
    } else {
      const rows = (function* (): Generator<TokenExample> {
        for (const [line, n] of numberedLines(input)) {
          const row = parseTokenRow(line, `${input}:${n}`);
          if (row.input_ids.length === 0) throw new PretextError(`${input}:${n}: row has no tokens`);
          yield row;
        }
      })();
      outputs = o.transform(rows, opts, ctx);
    }
    const writer = new SyncAtomicWriter(output);
    let count = 0;
    try {
      inFlagWords(o, () => {
        for (const ex of outputs) {
          writer.write(serializeExample(ex) + '\n');
          count++;
        }
      });
      if (count === 0) throw new PretextError(`${input}: no rows`);
      writer.commit();
    } catch (e) {
      writer.abort();
      throw e;
    }
    process.stderr.write(`pretext: wrote ${count} examples to ${output}\n`);
    return 0;
  },
};
