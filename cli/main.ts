#!/usr/bin/env node
// pretext: show any objective on any text, transform token datasets, train tokenizers and models.
// The conventions every command shares are kept here: --help and --version anywhere, exit codes (0 success, 1 a
// bug, 2 a user error printed as one line, 130 interrupted); no stack trace unless PRETEXT_DEBUG=1.
import { schema } from '../src/config/index.js';
import { PretextError } from '../src/errors.js';
import { EXIT_CODES, kebab, suggestion } from './args.js';
import { commands } from './commands/index.js';
import { packageInfo } from './package-root.js';

const USAGE = `pretext — self-supervised pretraining objectives, exact, fast and explained

Usage: pretext <command> [options]
       pretext <command> --help
       pretext --version

Commands:
${commands.map((c) => `  ${c.name.padEnd(11)}${c.summary}`).join('\n')}

Text comes from an argument, a file (--in FILE) or standard input (-). Output goes to --out (-o) or to stdout.

${EXIT_CODES}`;

/** Flags before `--` (after it everything is text). */
const flagsOf = (argv: readonly string[]): readonly string[] =>
  argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (flagsOf(argv).includes('--version')) {
    process.stdout.write(`pretext ${packageInfo().version}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (target) return target.run(['--help']);
    process.stdout.write(USAGE);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const names = commands.map((c) => c.name);
    throw new PretextError(`unknown command '${name}'${suggestion(name, names)} (commands: ${names.join(', ')})`);
  }
  return command.run(rest);
}

// Node's file-system errors that a user can fix (a missing or unreadable path, a full disk): one line, exit 2.
const USER_SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
};

function userSystemError(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  const what = err && typeof err.code === 'string' ? USER_SYSTEM_ERRORS[err.code] : undefined;
  if (!what) return undefined;
  return err.path ? `${err.path}: ${what}` : err.message.split('\n')[0];
}

/**
 * A config error names flags, not knob keys: "flags: vocabSize must be ..." -> "--vocab-size must be ...",
 * "config: seqLen 16 exceeds maxPositions 8" -> "--seq-len 16 exceeds --max-positions 8", "lossWeights: ..." ->
 * "--loss-weights: ...". Model-config errors (HF snake_case names) stay as they are.
 */
function inFlagNames(message: string): string {
  const isKnob = (key: string) => Object.hasOwn(schema, key);
  const flagged = message
    .replace(/^flags: ([a-z][A-Za-z0-9]*)\b/, (_m, key: string) => `--${kebab(key)}`)
    .replace(/^([a-z][A-Za-z0-9]*): /, (m, key: string) => (isKnob(key) ? `--${kebab(key)}: ` : m));
  if (!flagged.startsWith('config: ')) return flagged;
  const named = flagged
    .slice('config: '.length)
    .replace(/\b[a-z]+[A-Z][A-Za-z0-9]*\b/g, (w) => (isKnob(w) ? `--${kebab(w)}` : w));
  return named.includes('--') ? named : flagged;
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0); // `pretext ... | head`
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (process.env.PRETEXT_DEBUG) console.error(e);
    const system = userSystemError(e);
    if (e instanceof PretextError || system) {
      process.stderr.write(`pretext: ${system ?? inFlagNames((e as Error).message)}\n`);
      process.exitCode = 2;
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`pretext: internal error: ${msg.split('\n')[0]} (a bug: set PRETEXT_DEBUG=1 for details)\n`);
      process.exitCode = 1;
    }
  },
);
