// The folder of pretext's package.json, found from this file (works from cli/*.ts and dist/cli/*.js alike).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'pretext') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('pretext: cannot find the package root');
    dir = up;
  }
}
