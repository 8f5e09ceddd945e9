// padRows without options is a one-line PretextError naming what is missing, not a TypeError (issue 7).
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { padRows } from './pad.js';

describe('padRows options', () => {
  it('missing options or pad id: PretextError', () => {
    const rows = [{ input_ids: Int32Array.of(5, 6) }];
    expect(() => (padRows as (r: unknown) => unknown)(rows)).toThrow(PretextError);
    expect(() => (padRows as (r: unknown, o: unknown) => unknown)(rows, { side: 'right' })).toThrow(/padId/);
  });
  it('side defaults to right', () => {
    const b = padRows([{ input_ids: Int32Array.of(5, 6) }, { input_ids: Int32Array.of(7) }], { padId: 0 } as never);
    expect(Array.from(b.fields.input_ids)).toEqual([5, 6, 7, 0]);
  });
});
