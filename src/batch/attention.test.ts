import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import type { ModelInput } from './row.js';
import { attentionMask, padRows, type AttentionKind, type Batch } from './index.js';

/** Row b of the mask as strings of 0/1, one per query. */
function grid(m: Uint8Array, batch: Batch, b: number): string[] {
  const L = batch.length;
  return Array.from({ length: L }, (_, i) => Array.from(m.subarray((b * L + i) * L, (b * L + i + 1) * L)).join(''));
}
const row = (n: number, extra: Partial<ModelInput> = {}): ModelInput => ({
  input_ids: new Int32Array(n).fill(9),
  ...extra,
});

describe('attentionMask: hand-checked', () => {
  const batch = padRows([row(3), row(2)], { side: 'right', padId: 0 }); // L = 3, row 1 has a pad at 2

  it('bidirectional: every real key', () => {
    const m = attentionMask('bidirectional', batch);
    expect(grid(m, batch, 0)).toEqual(['111', '111', '111']);
    expect(grid(m, batch, 1)).toEqual(['110', '110', '110']);
  });

  it('causal: keys up to the query', () => {
    const m = attentionMask('causal', batch);
    expect(grid(m, batch, 0)).toEqual(['100', '110', '111']);
    expect(grid(m, batch, 1)).toEqual(['100', '110', '110']);
  });

  it('prefix: bidirectional over the prefix, causal after (counted from the first real token)', () => {
    const b4 = padRows([row(4), row(3)], { side: 'left', padId: 0 });
    const m = attentionMask('prefix', b4, { prefixLength: [2, 2] });
    expect(grid(m, b4, 0)).toEqual(['1100', '1100', '1110', '1111']);
    expect(grid(m, b4, 1)).toEqual(['0110', '0110', '0110', '0111']);
  });

  it('document: block-diagonal causal by document_ids; padding (-1) never attended', () => {
    const b = padRows(
      [row(5, { document_ids: Int32Array.of(0, 0, 1, 1, 1) }), row(3, { document_ids: Int32Array.of(0, 1, 1) })],
      { side: 'right', padId: 0 },
    );
    const m = attentionMask('document', b);
    expect(grid(m, b, 0)).toEqual(['10000', '11000', '00100', '00110', '00111']);
    expect(grid(m, b, 1)).toEqual(['10000', '01000', '01100', '00000', '00000']);
  });

  it('errors: document without document_ids, prefix without lengths or with a too-long prefix', () => {
    expect(() => attentionMask('document', batch)).toThrow(PretextError);
    expect(() => attentionMask('prefix', batch)).toThrow('prefixLength');
    expect(() => attentionMask('prefix', batch, { prefixLength: [1, 3] })).toThrow(
      'prefixLength[1] must be an integer in [0, 2]',
    );
  });
});

describe('attentionMask: properties', () => {
  const batches = fc
    .tuple(
      fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 9 }), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.constantFrom<'left' | 'right'>('left', 'right'),
    )
    .map(([docRuns, side]) => {
      // document ids non-decreasing per row, as packing makes them
      const rows = docRuns.map((steps) => {
        let d = 0;
        const docs = steps.map((s, i) => (i === 0 ? 0 : (d += s === 2 ? 1 : 0)));
        return row(docs.length, { document_ids: Int32Array.from(docs) });
      });
      return padRows(rows, { side, padId: 0 });
    });
  const subset = (a: Uint8Array, b: Uint8Array) => a.every((x, i) => x <= b[i]);
  const all = (k: AttentionKind, b: Batch, o = {}) => attentionMask(k, b, o);

  it('document within causal within bidirectional; padding keys never attended', () => {
    fc.assert(
      fc.property(batches, (b) => {
        const bi = all('bidirectional', b);
        const ca = all('causal', b);
        const doc = all('document', b);
        expect(subset(ca, bi) && subset(doc, ca)).toBe(true);
        const L = b.length;
        for (let r = 0; r < b.batchSize; r++)
          for (let i = 0; i < L; i++)
            for (let j = 0; j < L; j++)
              if (!b.fields.attention_mask[r * L + j]) expect(bi[(r * L + i) * L + j]).toBe(0);
      }),
    );
  });

  it('prefix 0 is causal; a prefix covering every real token is bidirectional', () => {
    fc.assert(
      fc.property(batches, (b) => {
        const L = b.length;
        const real = Array.from({ length: b.batchSize }, (_, r) =>
          Array.from(b.fields.attention_mask.subarray(r * L, (r + 1) * L)).reduce((s, x) => s + x, 0),
        );
        expect(all('prefix', b, { prefixLength: real.map(() => 0) })).toEqual(all('causal', b));
        expect(all('prefix', b, { prefixLength: real })).toEqual(all('bidirectional', b));
      }),
    );
  });

  it('one document per row is causal', () => {
    const b = padRows([row(4, { document_ids: new Int32Array(4) }), row(2, { document_ids: new Int32Array(2) })], {
      side: 'left',
      padId: 0,
    });
    expect(attentionMask('document', b)).toEqual(attentionMask('causal', b));
  });
});
