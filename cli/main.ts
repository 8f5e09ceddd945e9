#!/usr/bin/env node
// pretext: show any objective on any text, transform token datasets, train tokenizers.
// Errors a user can fix print one line and exit 2; nothing prints a stack trace unless PRETEXT_DEBUG=1.
import { PretextError } from '../src/errors.js';
import { commands } from './commands/index.js';

const USAGE = `pretext — self-supervised pretraining objectives, exact, fast and explained

Usage: pretext <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(11)}${c.summary}`).join('\n')}

Run 'pretext <command> --help' for a command's options and their defaults.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (target) return target.run(['--help']);
    process.stdout.write(USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('pretext 0.1.0\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new PretextError(`unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')})`);
  return command.run(rest);
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
    if (e instanceof PretextError) {
      process.stderr.write(`pretext: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`pretext: internal error: ${msg.split('\n')[0]} (set PRETEXT_DEBUG=1 for details)\n`);
      process.exitCode = 1;
    }
  },
);
