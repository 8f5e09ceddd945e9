// The folder of pretext's package.json, found from this file (works from cli/*.ts and dist/cli/*.js alike), and
// the name and version it declares.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The npm name pretext is published under (`pretext` on npm is an unrelated package). */
export const PACKAGE_NAME = '@pretext-ml/pretext';

let root: { dir: string; name: string; version: string } | undefined;

function find(): { dir: string; name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (json.name === PACKAGE_NAME) return { dir, name: json.name, version: json.version ?? '0.0.0' };
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package root (a package.json named ${PACKAGE_NAME})`);
    dir = up;
  }
}

export function packageRoot(): string {
  return (root ??= find()).dir;
}

export function packageInfo(): { name: string; version: string } {
  root ??= find();
  return { name: root.name, version: root.version };
}
