// T5's relative position buckets against HF's _relative_position_bucket run by PyTorch (test/fixtures/goldens/
// t5-buckets.json, from tools/make-t5-goldens.py): every relative position in [-300, 300], both directions, several
// bucket counts and distances, bucket for bucket.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillBuckets, relativePositionBucket } from './t5-position.js';

interface Table {
  relative: number[];
  cases: { bidirectional: boolean; num_buckets: number; max_distance: number; buckets: number[] }[];
}
const table = JSON.parse(
  readFileSync(new URL('../../test/fixtures/goldens/t5-buckets.json', import.meta.url), 'utf8'),
) as Table;

describe('relative position buckets', () => {
  for (const c of table.cases) {
    it(`equal HF's for ${c.bidirectional ? 'bidirectional' : 'causal'} attention, ${c.num_buckets} buckets, max_distance ${c.max_distance}`, () => {
      const got = table.relative.map((r) => relativePositionBucket(r, c.bidirectional, c.num_buckets, c.max_distance));
      expect(got).toEqual(c.buckets);
    });
  }

  it('fills [Tq, Tk] with the bucket of key - query', () => {
    const out = new Int32Array(12);
    fillBuckets(out, 3, 4, true, 32, 128);
    expect(Array.from(out)).toEqual([0, 17, 18, 19, 1, 0, 17, 18, 2, 1, 0, 17]);
  });
});
