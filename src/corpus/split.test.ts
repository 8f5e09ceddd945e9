import { describe, expect, it } from 'vitest';
import { collectDocuments } from './document.js';
import { documentsOfSplit, splitOf } from './split.js';

const ids = Array.from({ length: 20000 }, (_, i) => `doc-${i}`);

describe('splitOf', () => {
  it('is deterministic for a (seed, id) and changes with the seed', () => {
    const opts = { seed: 1, validationFraction: 0.3 };
    const a = ids.slice(0, 500).map((id) => splitOf(id, opts));
    expect(ids.slice(0, 500).map((id) => splitOf(id, opts))).toEqual(a);
    expect(ids.slice(0, 500).map((id) => splitOf(id, { ...opts, seed: 2 }))).not.toEqual(a);
  });

  it.each([0.01, 0.1, 0.5])('puts about %f of documents in validation', (f) => {
    const n = ids.filter((id) => splitOf(id, { seed: 7, validationFraction: f }) === 'validation').length;
    const sd = Math.sqrt(ids.length * f * (1 - f));
    expect(Math.abs(n - ids.length * f)).toBeLessThan(4 * sd);
  });

  it('handles the edges 0 and 1 exactly', () => {
    expect(ids.slice(0, 200).every((id) => splitOf(id, { seed: 0, validationFraction: 0 }) === 'train')).toBe(true);
    expect(ids.slice(0, 200).every((id) => splitOf(id, { seed: 0, validationFraction: 1 }) === 'validation')).toBe(
      true,
    );
  });

  it('is nested: raising the fraction only moves documents into validation', () => {
    for (const id of ids.slice(0, 2000)) {
      if (splitOf(id, { seed: 3, validationFraction: 0.1 }) === 'validation') {
        expect(splitOf(id, { seed: 3, validationFraction: 0.2 })).toBe('validation');
      }
    }
  });

  it('rejects bad options', () => {
    expect(() => splitOf('a', { seed: 1, validationFraction: 1.5 })).toThrow(/validationFraction/);
    expect(() => splitOf('a', { seed: -1, validationFraction: 0.1 })).toThrow(/seed/);
  });
});

describe('documentsOfSplit', () => {
  it('partitions a stream: train and validation are disjoint and cover every document', async () => {
    const docs = ids.slice(0, 300).map((id) => ({ id, sentences: ['x'], meta: {} }));
    const opts = { seed: 5, validationFraction: 0.2 };
    const train = await collectDocuments(documentsOfSplit(docs, 'train', opts));
    const val = await collectDocuments(documentsOfSplit(docs, 'validation', opts));
    expect(train.length + val.length).toBe(300);
    expect(new Set([...train, ...val].map((d) => d.id)).size).toBe(300);
  });
});
