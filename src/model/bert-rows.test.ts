import { describe, expect, it } from 'vitest';
import { createReferenceEngine } from '../engine/reference/index.js';
import { allocMlmHeadActs, allocNspHeadActs } from './bert-heads.js';
import { allocSparseRows, postLnLayer } from './bert-layer.js';
import { countLayerRows, countMlmRows, fillLayerRows, fillMlmRows } from './bert-rows.js';

describe('bert rows', () => {
  const e = createReferenceEngine();
  const [B, T] = [2, 4];
  const labels = Int32Array.of(-100, 5, -100, 7, 9, -100, -100, -100); // [[_, 5, _, 7], [9, _, _, _]]

  it('MLM rows: labelled positions with their targets; all positions for logits without labels', () => {
    const mlm = allocMlmHeadActs(e, 8, 1, 1);
    expect(countMlmRows(labels, 8, false)).toBe(3);
    fillMlmRows(mlm, labels, 8, 3);
    expect(Array.from(mlm.rows.subarray(0, 3))).toEqual([1, 3, 4]);
    expect(Array.from(mlm.targets.subarray(0, 3))).toEqual([5, 7, 9]);
    expect([countMlmRows(undefined, 8, true), countMlmRows(undefined, 8, false)]).toEqual([8, 0]);
  });

  it("sparse layer rows: labelled plus [CLS] rows when the pooler reads them, with each head's index among them", () => {
    const [mlm, nsp, R] = [
      allocMlmHeadActs(e, 8, 1, 1),
      allocNspHeadActs(e, B, 1),
      allocSparseRows(postLnLayer, e, 8, 1, 1),
    ];
    expect(countLayerRows(labels, B, T, false)).toBe(3);
    expect(countLayerRows(labels, B, T, true)).toBe(4);
    fillLayerRows(R, mlm, nsp, labels, B, T);
    expect(Array.from(R.rows.subarray(0, 4))).toEqual([0, 1, 3, 4]);
    expect(Array.from(mlm.at.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(Array.from(nsp.rows)).toEqual([0, 3]);
    fillLayerRows(R, mlm, undefined, labels, B, T);
    expect(Array.from(R.rows.subarray(0, 3))).toEqual([1, 3, 4]);
    expect(Array.from(mlm.at.subarray(0, 3))).toEqual([0, 1, 2]);
  });
});
