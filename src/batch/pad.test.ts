import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import type { ModelInput } from './row.js';
import { IGNORE_INDEX, padRows } from './index.js';

const row = (ids: number[], extra: Partial<ModelInput> = {}): ModelInput => ({
  input_ids: Int32Array.from(ids),
  ...extra,
});
const a = (x: ArrayLike<number>) => Array.from(x);

describe('padRows', () => {
  it('pads right: input_ids with the pad id, attention_mask 0, labels -100', () => {
    const b = padRows([row([5, 6, 7], { labels: Int32Array.of(-100, 6, 7) }), row([8], { labels: Int32Array.of(8) })], {
      side: 'right',
      padId: 0,
    });
    expect([b.batchSize, b.length]).toEqual([2, 3]);
    expect(a(b.fields.input_ids)).toEqual([5, 6, 7, 8, 0, 0]);
    expect(b.fields.attention_mask).toBeInstanceOf(Uint8Array);
    expect(a(b.fields.attention_mask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(a(b.fields.labels)).toEqual([IGNORE_INDEX, 6, 7, 8, IGNORE_INDEX, IGNORE_INDEX]);
    expect(b.shapes.input_ids).toEqual([2, 3]);
  });

  it('pads left, and rounds the length up to a multiple', () => {
    const b = padRows([row([5, 6, 7]), row([8])], { side: 'left', padId: 1, padToMultipleOf: 4 });
    expect(b.length).toBe(4);
    expect(a(b.fields.input_ids)).toEqual([1, 5, 6, 7, 1, 1, 1, 8]);
    expect(a(b.fields.attention_mask)).toEqual([0, 1, 1, 1, 0, 0, 0, 1]);
    expect(padRows([row([5, 6, 7, 8])], { side: 'right', padId: 0, padToMultipleOf: 4 }).length).toBe(4);
  });

  it('pads token_type_ids and position_ids with 0, document_ids with -1; scalars become [B]', () => {
    const b = padRows(
      [
        row([5, 6], {
          token_type_ids: Int32Array.of(0, 1),
          position_ids: Int32Array.of(0, 1),
          document_ids: Int32Array.of(0, 0),
          next_sentence_label: 1,
        }),
        row([7], {
          token_type_ids: Int32Array.of(1),
          position_ids: Int32Array.of(0),
          document_ids: Int32Array.of(0),
          next_sentence_label: 0,
        }),
      ],
      { side: 'right', padId: 0 },
    );
    expect(a(b.fields.token_type_ids)).toEqual([0, 1, 1, 0]);
    expect(a(b.fields.position_ids)).toEqual([0, 1, 0, 0]);
    expect(a(b.fields.document_ids)).toEqual([0, 0, 0, -1]);
    expect(b.fields.next_sentence_label).toBeInstanceOf(Int32Array);
    expect(a(b.fields.next_sentence_label)).toEqual([1, 0]);
    expect(b.shapes.next_sentence_label).toEqual([2]);
  });

  it('keeps given attention masks; pads masked_positions to their own longest with -1 and labels to the decoder length', () => {
    const b = padRows(
      [
        row([5, 6, 0], { attention_mask: Uint8Array.of(1, 1, 0), masked_positions: Int32Array.of(1) }),
        row([7], { attention_mask: Uint8Array.of(1), masked_positions: Int32Array.of() }),
      ],
      { side: 'right', padId: 0 },
    );
    expect(a(b.fields.attention_mask)).toEqual([1, 1, 0, 1, 0, 0]);
    expect(a(b.fields.masked_positions)).toEqual([1, -1]);
    expect(b.shapes.masked_positions).toEqual([2, 1]);
    const s = padRows(
      [
        row([5, 6, 7], { decoder_input_ids: Int32Array.of(0, 9), labels: Int32Array.of(9, 1) }),
        row([8], { decoder_input_ids: Int32Array.of(0), labels: Int32Array.of(1) }),
      ],
      { side: 'right', padId: 0 },
    );
    expect(s.shapes.labels).toEqual([2, 2]);
    expect(a(s.fields.labels)).toEqual([9, 1, 1, IGNORE_INDEX]);
    expect(a(s.fields.decoder_input_ids)).toEqual([0, 9, 0, 0]);
  });

  it('maxLength pads every row to that length and never truncates', () => {
    expect(padRows([row([5, 6])], { side: 'right', padId: 0, maxLength: 4 }).length).toBe(4);
    expect(() => padRows([row([5, 6, 7])], { side: 'right', padId: 0, maxLength: 2 })).toThrow(PretextError);
  });

  it('rejects an empty batch, mismatched fields and bad multiples', () => {
    expect(() => padRows([], { side: 'right', padId: 0 })).toThrow('no rows');
    expect(() => padRows([row([5], { labels: Int32Array.of(5) }), row([6])], { side: 'right', padId: 0 })).toThrow(
      'row 1 has no labels',
    );
    expect(() => padRows([row([5], { labels: Int32Array.of(5, 6) })], { side: 'right', padId: 0 })).toThrow(
      'labels of length 2',
    );
    expect(() => padRows([row([5])], { side: 'right', padId: 0, padToMultipleOf: 0 })).toThrow(PretextError);
  });

  it('property: each row reads back from its side; the length is the smallest multiple that fits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 12 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom<'left' | 'right'>('left', 'right'),
        fc.integer({ min: 1, max: 8 }),
        (rows, side, m) => {
          const b = padRows(
            rows.map((r) => row(r, { labels: Int32Array.from(r) })),
            { side, padId: 0, padToMultipleOf: m },
          );
          const longest = Math.max(...rows.map((r) => r.length));
          expect(b.length % m).toBe(0);
          expect(b.length - longest).toBeLessThan(m);
          expect(b.length).toBeGreaterThanOrEqual(longest);
          rows.forEach((r, i) => {
            const ids = a(b.fields.input_ids.subarray(i * b.length, (i + 1) * b.length));
            const labels = a(b.fields.labels.subarray(i * b.length, (i + 1) * b.length));
            const pads = b.length - r.length;
            expect(side === 'right' ? ids.slice(0, r.length) : ids.slice(pads)).toEqual(r);
            expect(labels.filter((y) => y === IGNORE_INDEX).length).toBe(pads);
            expect(
              a(b.fields.attention_mask.subarray(i * b.length, (i + 1) * b.length)).reduce((s, x) => s + x, 0),
            ).toBe(r.length);
          });
        },
      ),
    );
  });
});
