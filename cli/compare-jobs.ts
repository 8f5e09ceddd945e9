// pretext compare --jobs N: each run in a child process, N at a time. The child is `pretext compare` with the same
// flags plus --threads 1 and --run-one ID: it trains and evaluates that one run exactly as the parent would in its
// own process and prints {"record": ...} (or {"refused": why}) on stdout; its progress lines come through on stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PretextError } from '../src/errors.js';
import { ObjectiveRefused, type RunRecord } from '../src/experiments/index.js';

export const RUN_ONE = 'run-one';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** What a --run-one child prints. */
export type ChildResult = { record: RunRecord } | { refused: string };

// The children running now. Ctrl-C reaches them with the parent (one process group), but a scheduler's SIGTERM or a
// `kill PID` reaches only the parent: it stops them before it exits, so no run goes on training unseen.
const running = new Set<ChildProcess>();
let stopsChildren = false;
function stopChildrenOnSignals(): void {
  if (stopsChildren) return;
  stopsChildren = true;
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGTERM');
      process.stderr.write(
        `pretext compare: stopped by ${signal}; finished runs are kept, repeat the command to continue\n`,
      );
      process.exit(130);
    });
  }
}

/** Run `id` of the comparison `argv` describes in a child process. */
export function trainInChild(argv: readonly string[], id: string): Promise<RunRecord> {
  stopChildrenOnSignals();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'compare', ...argv, '--threads', '1', `--${RUN_ONE}`, id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let pending = '';
    let last = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      const lines = (pending + d).split(/\r\n|\r|\n/);
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim() !== '')) {
        process.stderr.write(`${line}\n`);
        last = line;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      if (pending.trim()) last = pending;
      if (code === 2) return reject(new PretextError(last.replace(/^pretext: /, '')));
      if (code !== 0) return reject(new Error(`compare: the child process of ${id} exited with ${code}: ${last}`));
      const result = JSON.parse(stdout) as ChildResult;
      if ('refused' in result) reject(new ObjectiveRefused(result.refused));
      else resolve(result.record);
    });
  });
}
