// A few Brown documents spread over the genres: the "other documents" for showing NSP/SOP on one text,
// and the sentences of the demo tour.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBrownCategories, parseBrownFile, type Document } from '../src/corpus/index.js';
import { brownDir } from './io/brown-files.js';

const samples = new Map<number, Promise<Document[]>>();

/** `n` Brown documents, evenly spaced over the 500 (so several genres), in corpus order; read once per process. */
export function loadBrownSample(n: number): Promise<Document[]> {
  let sample = samples.get(n);
  if (!sample) samples.set(n, (sample = readSample(n)));
  return sample;
}

async function readSample(n: number): Promise<Document[]> {
  const dir = brownDir();
  const cats = [...parseBrownCategories(await readFile(join(dir, 'cats.txt'), 'utf8'))];
  const step = Math.max(1, Math.floor(cats.length / n));
  const picked = cats.filter((_, i) => i % step === 0).slice(0, n);
  return Promise.all(
    picked.map(async ([file, genre]) => parseBrownFile(file, await readFile(join(dir, file), 'utf8'), genre)),
  );
}
