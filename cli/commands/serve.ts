// pretext serve: the built playground (npm run build:web) on 127.0.0.1 unless --host, cross-origin isolated.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { packageRoot } from '../package-root.js';
import { startStaticServer } from '../static-server.js';
import { checkpointDir } from '../train-run.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'port', type: 'int', default: 5173, help: 'port (0 = any free port)' },
  {
    name: 'host',
    type: 'string',
    default: '127.0.0.1',
    help: 'address to listen on (other machines can reach it unless 127.0.0.1)',
  },
  { name: 'run', type: 'string', help: 'a run or checkpoint folder of pretext train, offered to the page' },
  { name: 'dir', type: 'string', help: 'the built playground to serve (default: dist/web of this package)' },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext serve [--port 5173] [--run runs/NAME] [--host H] [--dir dist/web]';
const ABOUT =
  'Serve the playground (build it first: npm run build:web): every objective on your text, a trained run, training in the page.';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the browser playground',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    if (args.positionals.length) throw new PretextError(`serve takes no text, got '${args.positionals[0]}'`);
    const root = (args.flags.dir as string | undefined) ?? join(packageRoot(), 'dist', 'web');
    if (!existsSync(join(root, 'index.html')))
      throw new PretextError(
        args.flags.dir
          ? `${root} has no index.html (a folder built by npm run build:web)`
          : 'the playground is not built: run npm run build:web',
      );
    const port = args.flags.port as number;
    if (!(port >= 0 && port <= 65535)) throw new PretextError(`--port must be in [0, 65535], got ${port}`);
    const run = args.flags.run as string | undefined;
    if (run) checkpointDir(run); // a one-line error now rather than a 404 later
    const server = await startStaticServer({ root, port, host: args.flags.host as string, run }).catch(
      (e: NodeJS.ErrnoException) => {
        throw new PretextError(
          e.code === 'EADDRINUSE'
            ? `port ${port} is in use (try --port 0)`
            : `cannot listen on ${args.flags.host}:${port} (${e.code ?? e.message})`,
        );
      },
    );
    process.stdout.write(`pretext playground at ${server.url}${run ? ` with run ${run}` : ''} (Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    await server.close();
    return 0;
  },
};
