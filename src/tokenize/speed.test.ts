// Throughput on the whole Brown corpus (~1.16M words): training an 8000-entry WordPiece and encoding every
// sentence must take seconds, not minutes; the result still matches HF on a sample of sentences.
import { describe, expect, it } from 'vitest';
import { trainWordPiece } from './train.js';
import { hfDifferences } from './parity.case.js';
// @ts-expect-error plain .mjs tool without types
import { brownSentences } from '../../tools/make-tokenizer-fixtures.mjs';

describe('speed on the Brown corpus', () => {
  const sentences: string[] = brownSentences(500);

  it('trains an 8000-entry WordPiece and encodes all of Brown quickly, as HF would', async () => {
    expect(sentences.reduce((n, s) => n + s.split(' ').length, 0)).toBeGreaterThan(1_100_000);
    let t0 = performance.now();
    const tok = trainWordPiece(sentences, { vocabSize: 8000 });
    const trainMs = performance.now() - t0;
    expect(tok.vocabSize).toBe(8000);

    t0 = performance.now();
    let tokens = 0;
    for (const s of sentences) tokens += tok.encode(s).ids.length;
    const encodeMs = performance.now() - t0;
    expect(tokens).toBeGreaterThan(1_200_000);
    // Typically ~1.5 s and ~1.5 s on one core; the bounds leave room for a busy machine.
    expect(trainMs).toBeLessThan(30_000);
    expect(encodeMs).toBeLessThan(15_000);

    const sample = sentences.filter((_, i) => i % 250 === 0);
    expect(await hfDifferences(tok, JSON.stringify(tok.toJSON()), sample, [[sample[0], sample[1]]])).toEqual([]);
  });
});
