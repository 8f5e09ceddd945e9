// npm run figures: regenerates the README's figures under docs/ with the CLI (run `npm run build` first).
// Every number in them comes from the transforms: rerun this after changing an objective.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const main = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error('figures: dist/cli/main.js is missing; run `npm run build` first');
  process.exit(1);
}

const figures = [
  ['viz', 'attention', '--out', 'docs/attention-masks.png'],
  ['viz', 'targets', '--seed', '9', '--out', 'docs/mlm-vs-clm-targets.png'],
  ['viz', 'split', '--docs', '500', '--out', 'docs/mlm-80-10-10.png'],
];

for (const args of figures) {
  console.log(`pretext ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [main, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
