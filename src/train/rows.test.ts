import { describe, expect, it } from 'vitest';
import { clmObjective } from '../objectives/clm/index.js';
import { mlmObjective } from '../objectives/mlm/index.js';
import type { VocabInfo } from '../tokenize/vocab.js';
import { resolveConfig } from '../config/index.js';
import { chunkRows, fullSentenceRows, rowAt, rowCount } from './rows.js';
import { resolveTask } from './task.js';
import { taskRows } from './task-rows.js';
import type { TokenizedCorpus } from './tokens.js';

// Documents of sentences of ids -> TokenizedCorpus.
function corpus(docs: number[][][]): TokenizedCorpus {
  const ids: number[] = [];
  const segments = [0];
  const documents = [0];
  for (const d of docs) {
    for (const s of d) {
      ids.push(...s);
      segments.push(ids.length);
    }
    documents.push(segments.length - 1);
  }
  return { ids: Int32Array.from(ids), segments: Int32Array.from(segments), documents: Int32Array.from(documents) };
}

const CLS = 2;
const SEP = 3;
const rowsOf = (c: TokenizedCorpus, T: number) => {
  const r = fullSentenceRows(c, T, CLS, SEP);
  return Array.from({ length: rowCount(r) }, (_, i) => Array.from(rowAt(r, i)));
};

describe('FULL-SENTENCES rows', () => {
  it('the worked example: packs sentences, cuts a long one, [SEP] between documents', () => {
    // doc1 [a b] [c], doc2 [d e f g h i]; seqLen 6
    expect(rowsOf(corpus([[[10, 11], [12]], [[13, 14, 15, 16, 17, 18]]]), 6)).toEqual([
      [CLS, 10, 11, 12, SEP],
      [CLS, 13, 14, 15, 16, SEP],
      [CLS, 17, 18, SEP],
    ]);
  });

  it('crosses documents with a [SEP] between them when the next sentence fits', () => {
    expect(rowsOf(corpus([[[10]], [[11, 12]], [[13]]]), 8)).toEqual([[CLS, 10, SEP, 11, 12, SEP, 13, SEP]]);
    // [SEP] + [11, 12] does not fit after [10, 20, 21] at seqLen 6: a new row, no separator
    expect(rowsOf(corpus([[[10, 20, 21]], [[11, 12]]]), 6)).toEqual([
      [CLS, 10, 20, 21, SEP],
      [CLS, 11, 12, SEP],
    ]);
  });

  it('keeps every token once, in order, and no row is longer than seqLen', () => {
    const docs = Array.from({ length: 7 }, (_, d) =>
      Array.from({ length: 1 + (d % 4) }, (_, s) =>
        Array.from({ length: 1 + ((d * 7 + s * 5) % 23) }, (_, k) => 100 + d * 1000 + s * 50 + k),
      ),
    );
    const c = corpus(docs);
    for (const T of [3, 8, 16, 64]) {
      const rows = rowsOf(c, T);
      for (const r of rows) {
        expect(r.length).toBeLessThanOrEqual(T);
        expect(r[0]).toBe(CLS);
        expect(r.at(-1)).toBe(SEP);
      }
      expect(rows.flatMap((r) => r.slice(1, -1)).filter((id) => id !== SEP)).toEqual(Array.from(c.ids));
    }
  });
});

const bertVocab: VocabInfo = {
  vocabSize: 50,
  padId: 0,
  unkId: 1,
  clsId: 2,
  sepId: 3,
  maskId: 4,
  specialIds: [0, 1, 2, 3, 4],
};
const gptVocab: VocabInfo = { vocabSize: 50, padId: 0, bosId: 0, eosId: 0, specialIds: [0] };

describe('task batches', () => {
  const docs = Array.from({ length: 6 }, (_, d) =>
    Array.from({ length: 3 }, (_, s) =>
      Array.from({ length: 3 + ((d + s) % 5) }, (_, k) => 5 + ((d * 13 + s * 7 + k) % 45)),
    ),
  );

  it('mlm: row i of epoch e is masked exactly as mlmObjective.transform masks it with startIndex i; padded to seqLen', () => {
    const c = resolveConfig({ source: 't', values: { seqLen: 12, options: { maskProb: 0.3 } } });
    const tc = corpus(docs);
    const rows = taskRows(resolveTask(c), tc, c, bertVocab, 0);
    const set = fullSentenceRows(tc, 12, 2, 3);
    const indices = [3, 0, 5];
    const b = rows.batch(indices, 7, 2);
    expect(b.batchSize).toBe(3);
    expect(b.length).toBe(12);
    const opts = mlmObjective.resolve({ maskProb: 0.3 });
    indices.forEach((i, k) => {
      const [want] = [
        ...mlmObjective.transform([{ input_ids: rowAt(set, i) }], opts, {
          seed: 7,
          epoch: 2,
          vocab: bertVocab,
          startIndex: i,
        }),
      ];
      const L = want.input_ids.length;
      expect(Array.from(b.input_ids.subarray(k * 12, k * 12 + L))).toEqual(Array.from(want.input_ids));
      expect(Array.from(b.labels!.subarray(k * 12, k * 12 + L))).toEqual(Array.from(want.labels!));
      expect(Array.from(b.input_ids.subarray(k * 12 + L, (k + 1) * 12))).toEqual(new Array(12 - L).fill(0));
      expect(Array.from(b.labels!.subarray(k * 12 + L, (k + 1) * 12))).toEqual(new Array(12 - L).fill(-100));
      expect(Array.from((b.attention_mask as Uint8Array).subarray(k * 12, (k + 1) * 12))).toEqual([
        ...new Array(L).fill(1),
        ...new Array(12 - L).fill(0),
      ]);
    });
    expect(rows.batch(indices, 7, 3).input_ids).not.toEqual(b.input_ids); // a new epoch masks anew
    expect(rows.batch(indices, 7, 2)).toEqual(b);
  });

  it('clm: rows are the clm objective packing, with block-diagonal causal attention', () => {
    const c = resolveConfig({ source: 't', values: { objective: 'clm', seqLen: 8, maxPositions: 8 } });
    const tc = corpus(docs);
    const whole = docs.map((d) => ({ input_ids: Int32Array.from(d.flat()) }));
    const want = [
      ...clmObjective.transform(whole, clmObjective.resolve({ pack: true, blockSize: 8 }), {
        seed: 0,
        epoch: 0,
        vocab: gptVocab,
      }),
    ];
    const rows = taskRows(resolveTask(c), tc, c, gptVocab, 0);
    expect(rows.count).toBe(want.length);
    const b = rows.batch([2, 1], 0, 0);
    expect(Array.from(b.input_ids.subarray(0, 8))).toEqual(Array.from(want[2].input_ids));
    expect(Array.from(b.labels!.subarray(8, 16))).toEqual(Array.from(want[1].labels!));
    expect(Array.from(b.position_ids!.subarray(8, 16))).toEqual(Array.from(want[1].position_ids as Int32Array));
    const mask = b.attention_mask as Uint8Array; // [2, 8, 8]
    const docIds = want[2].document_ids as Int32Array;
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) expect(mask[i * 8 + j]).toBe(j <= i && docIds[i] === docIds[j] ? 1 : 0);
  });

  it('clm options reach the rows: --document-attention false packs without document ids or a dense mask', () => {
    const c = resolveConfig({
      source: 't',
      values: { objective: 'clm', seqLen: 8, maxPositions: 8, options: { documentAttention: false } },
    });
    const b = taskRows(resolveTask(c), corpus(docs), c, gptVocab, 0).batch([0, 1], 0, 0);
    expect(b.attention_mask!.length).toBe(16);
  });

  it('nsp: pairs from the objective, drawn once; the pair label becomes next_sentence_label; sop labels too', () => {
    for (const objective of ['nsp', 'mlm+sop']) {
      const c = resolveConfig({ source: 't', values: { objective, seqLen: 16 } });
      const task = resolveTask(c);
      const rows = taskRows(task, corpus(docs), c, bertVocab, 3);
      expect(rows.count).toBeGreaterThan(0);
      const b = rows.batch([0, 1], 9, 4);
      expect(b.next_sentence_label!.length).toBe(2);
      expect(b.token_type_ids!.length).toBe(2 * 16);
      expect(b.labels === undefined).toBe(objective === 'nsp'); // nsp alone: maskProb 0, no MLM targets
      expect(rows.batch([0, 1], 1, 0)).toEqual(b); // fixed rows: the seed and epoch of a step do not redraw them
    }
  });

  it('prefix-lm decoder: chunks of seqLen - 2, the prefix attends both ways, loss on the continuation only', () => {
    const c = resolveConfig({
      source: 't',
      values: { objective: 'prefix-lm', model: 'decoder', seqLen: 10, maxPositions: 10 },
    });
    const task = resolveTask(c);
    const rows = taskRows(task, corpus(docs), c, gptVocab, 0);
    expect(rows.count).toBe(rowCount(chunkRows(corpus(docs), 8)));
    const b = rows.batch([0], 5, 0);
    const T = b.length;
    const labels = Array.from(b.labels!);
    const P = labels.findIndex((y) => y !== -100); // the first predicted position
    expect(P).toBeGreaterThan(0);
    expect(Array.from(b.prefix_length!)).toEqual([P]); // GPT-2 lets every query see keys [0, P)
    expect(b.attention_mask!.length).toBe(T); // the padding mask
  });
});
