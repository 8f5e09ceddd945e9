// ELECTRA's data rules read from pretrain_helpers (issue 7): one cap per batch from max_seq_length, the average at a
// duplicated position (compat), [UNK] selectable (compat).
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { collect, plainRows, VOCAB } from '../mlm/fixtures.case.js';
import {
  corruptedInput,
  discriminatorLabels,
  electraCap,
  electraMask,
  electraObjective,
  resolveElectraOptions,
} from './index.js';

describe('electra reference rules', () => {
  it('the cap is int((p + 0.005) x maxSeqLength), the same for short and long rows', () => {
    const o = resolveElectraOptions({ maskProb: 0.5 });
    expect(electraCap(o)).toBe(64);
    expect(electraCap(resolveElectraOptions({}))).toBe(19);
    expect(electraCap(resolveElectraOptions({ maxSeqLength: 512 }))).toBe(79);
  });

  it('a cap of one number: with maxSeqLength 40 and p 0.1, a 40-token row gets int(0.105 x 40) = 4, as every row', () => {
    const o = resolveElectraOptions({ maskProb: 0.1, maxSeqLength: 40 });
    expect(electraCap(o)).toBe(4);
    // a 35-token row: round(3.5) = 4 under the batch cap 4; a per-row cap int(0.105 x 35) = 3 would give 3
    const out = electraMask(plainRows(1, 35, 4)[0].input_ids, o, VOCAB, Rng.of(1, 0, 0, 'e'));
    expect(out.masked_positions.length).toBe(4);
  });

  it('a row longer than maxSeqLength is a one-line error', () => {
    expect(() => collect(electraObjective, plainRows(1, 129, 1), {})).toThrow(PretextError);
    expect(() => collect(electraObjective, plainRows(1, 129, 1), {})).toThrow(/maxSeqLength 128/);
  });

  it("duplicates 'average': the floor of the samples' mean, as ELECTRA's scatter_update", () => {
    const orig = Int32Array.of(10, 11, 12);
    expect(Array.from(corruptedInput(orig, Int32Array.of(1, 1), Int32Array.of(50, 11), 'average'))).toEqual([
      10, 30, 12,
    ]);
    expect(Array.from(corruptedInput(orig, Int32Array.of(1, 1, 1), Int32Array.of(5, 6, 8), 'average'))).toEqual([
      10, 6, 12,
    ]);
    expect(Array.from(discriminatorLabels(orig, Int32Array.of(1, 1), Int32Array.of(11, 11), 'average'))).toEqual([
      0, 0, 0,
    ]);
    expect(Array.from(discriminatorLabels(orig, Int32Array.of(2, 2), Int32Array.of(11, 13), 'average'))).toEqual([
      0, 0, 0,
    ]);
    expect(Array.from(discriminatorLabels(orig, Int32Array.of(2, 2), Int32Array.of(11, 12), 'average'))).toEqual([
      0, 0, 1,
    ]);
  });

  it("compat 'electra': [UNK] can be drawn; by default it never is", () => {
    const row = Int32Array.of(VOCAB.clsId!, VOCAB.unkId!, VOCAB.sepId!);
    const drawn = (compat: 'none' | 'electra') =>
      electraMask(row, resolveElectraOptions({ compat, maskProb: 0.9 }), VOCAB, Rng.of(1, 0, 0, 'e')).masked_positions;
    expect(Array.from(drawn('electra'))).toEqual([1, 1, 1]); // round(0.9 x 3) = 3 draws, all on [UNK]
    expect(drawn('none').length).toBe(0);
  });
});
