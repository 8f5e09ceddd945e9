import { closeSync, openSync, rmSync, writeSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus } from './corpus-files.js';

const MB = 1 << 20;
const dir = mkdtempSync(join(tmpdir(), 'pretext-corpus-'));

// Write `total` bytes of `block` repeated, 1 MiB at a time (the test never holds the file either).
function writeRepeated(path: string, block: string, total: number): number {
  const chunk = Buffer.from(block.repeat(Math.ceil(MB / block.length)));
  const fd = openSync(path, 'w');
  let written = 0;
  while (written < total) written += writeSync(fd, chunk);
  closeSync(fd);
  return written / Buffer.byteLength(block);
}

// Iterate a corpus, sampling the JS heap; returns the document count and the peak heap growth in MiB.
async function drain(spec: string): Promise<{ docs: number; sentences: number; peakMiB: number }> {
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let docs = 0;
  let sentences = 0;
  for await (const doc of openCorpus(spec)) {
    sentences += doc.sentences.length;
    if (++docs % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  }
  return { docs, sentences, peakMiB: peak / MB };
}

describe('streaming', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const PARA = 'Mr. Smith read 3.14 pages. He stopped! Then he slept... The end.\nA wrapped line ends here.\n\n';
  let textDocs = 0;
  beforeAll(() => {
    textDocs = writeRepeated(join(dir, 'big.txt'), PARA, 50 * MB);
  });

  it('reads a 50 MiB text file in pieces with a bounded heap', async () => {
    const { docs, sentences, peakMiB } = await drain(join(dir, 'big.txt'));
    expect(docs).toBe(textDocs);
    expect(sentences).toBe(textDocs * 5);
    expect(peakMiB).toBeLessThan(48); // the file as one string is >= 50 MiB (read whole and split: ~100 MiB)
  });

  it('reads a 20 MiB JSONL file through the same line reader', async () => {
    const row = JSON.stringify({ text: PARA.repeat(3) }) + '\n';
    const rows = writeRepeated(join(dir, 'big.jsonl'), row, 20 * MB);
    const { docs, peakMiB } = await drain(join(dir, 'big.jsonl'));
    expect(docs).toBe(rows);
    expect(peakMiB).toBeLessThan(48);
  });
});
