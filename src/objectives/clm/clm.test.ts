import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padRows } from '../../batch/pad.js';
import { PretextError } from '../../errors.js';
import { objectiveContract } from '../contract.case.js';
import { collect, VOCAB } from '../mlm/fixtures.case.js';
import { IGNORE_INDEX, type ModelInput, type TokenExample } from '../../batch/row.js';
import type { VocabInfo } from '../../tokenize/vocab.js';
import { clmObjective, resolveClmOptions, type ClmOptions } from './index.js';

const EOS = VOCAB.eosId!;
const docs = (...lists: number[][]): TokenExample[] => lists.map((l) => ({ input_ids: Int32Array.from(l) }));
const arr = (r: ModelInput, f: string) => Array.from(r[f] as Int32Array);
/** GPT-2 style: pad == eos. */
const GPT: VocabInfo = { vocabSize: 100, padId: 50, eosId: 50, bosId: 50, specialIds: [50] };

const noRandomness = 'clm draws no random numbers: its output does not depend on the seed';
const eosLabels = 'clm labels every token, EOS included (it is special)';
const streamed = 'packing carries the token stream across documents, so a split stream ends a block early';
const contractDocs = () => docs([10, 11, 12], [13, 14], [15, 16, 17, 18, 19], [20], [21, 22, 23, 24], [25, 26, 27]);
objectiveContract({ objective: clmObjective, vocab: VOCAB, input: contractDocs, skip: { seedMatters: noRandomness } });
objectiveContract({
  objective: clmObjective,
  vocab: VOCAB,
  options: { pack: true, blockSize: 4, remainder: 'pad' },
  input: contractDocs,
  variant: 'packed',
  skip: { seedMatters: noRandomness, noSpecialSelected: eosLabels, batching: streamed },
});
objectiveContract({
  objective: clmObjective,
  vocab: VOCAB,
  options: { compat: 'hf-group-texts', blockSize: 4 },
  input: contractDocs,
  variant: 'hf-group-texts',
  skip: { seedMatters: noRandomness, batching: streamed },
});

describe('clm: unpacked', () => {
  it('labels copy input_ids (no shift) and keep EOS even when pad == eos', () => {
    const [r] = collect(clmObjective, docs([7, 8, 50]), {}, 1, GPT);
    expect(arr(r, 'labels')).toEqual([7, 8, 50]);
    expect(arr(r, 'input_ids')).toEqual([7, 8, 50]);
    expect(Array.from(r.attention_mask!)).toEqual([1, 1, 1]);
  });

  it('-100 appears only where collation pads (attention_mask 0), never by token value', () => {
    const rows = collect(clmObjective, docs([7, 8, 50], [9]), {}, 1, GPT);
    const b = padRows(rows, { side: 'right', padId: GPT.padId });
    expect(Array.from(b.fields.input_ids)).toEqual([7, 8, 50, 9, 50, 50]);
    expect(Array.from(b.fields.labels)).toEqual([7, 8, 50, 9, -100, -100]);
    expect(Array.from(b.fields.attention_mask)).toEqual([1, 1, 1, 1, 0, 0]);
  });

  it("compat 'hf' masks labels by pad id, erasing genuine EOS labels when pad == eos (transformers#23530)", () => {
    const [r] = collect(clmObjective, docs([7, 8, 50]), { compat: 'hf' }, 1, GPT);
    expect(arr(r, 'labels')).toEqual([7, 8, IGNORE_INDEX]);
  });
});

describe('clm: packing', () => {
  const pack = (lists: number[][], o: Partial<ClmOptions>) =>
    collect(clmObjective, docs(...lists), { pack: true, ...o });

  it('appends one EOS per document, resets positions per document and per row, numbers documents within the row', () => {
    const rows = pack(
      [
        [10, 11, 12],
        [13, 14],
        [15, 16, 17, 18, 19, 20],
      ],
      { blockSize: 4, remainder: 'pad' },
    );
    expect(rows.map((r) => arr(r, 'input_ids'))).toEqual([
      [10, 11, 12, EOS],
      [13, 14, EOS, 15],
      [16, 17, 18, 19],
      [20, EOS, 0, 0],
    ]);
    expect(rows.map((r) => arr(r, 'position_ids'))).toEqual([
      [0, 1, 2, 3],
      [0, 1, 2, 0],
      [0, 1, 2, 3],
      [0, 1, 0, 0],
    ]);
    expect(rows.map((r) => arr(r, 'document_ids'))).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
      [0, 0, -1, -1],
    ]);
    expect(rows.map((r) => arr(r, 'labels'))).toEqual([
      [-100, 11, 12, EOS], // a document's first token has no label by default
      [-100, 14, EOS, -100],
      [16, 17, 18, 19], // continuation: the row start is not a document start
      [20, EOS, -100, -100],
    ]);
    expect(rows.map((r) => Array.from(r.attention_mask!))).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [1, 1, 0, 0],
    ]);
  });

  it('boundaryLabels keeps the first-token labels; remainder drop drops only the partial last block', () => {
    const rows = pack([[10, 11, 12], [13, 14], [15]], { blockSize: 4, boundaryLabels: true });
    expect(rows.map((r) => arr(r, 'labels'))).toEqual([
      [10, 11, 12, EOS],
      [13, 14, EOS, 15],
    ]);
    expect(pack([[10, 11, 12]], { blockSize: 4 }).length).toBe(1); // exactly one block: kept
    expect(pack([[10, 11]], { blockSize: 4 }).length).toBe(0); // shorter than a block: dropped
  });

  it('without document attention, positions run 0..L-1 and rows carry no document_ids', () => {
    const rows = pack(
      [
        [10, 11],
        [12, 13, 14],
      ],
      { blockSize: 3, documentAttention: false, boundaryLabels: true },
    );
    expect(rows.map((r) => arr(r, 'position_ids'))).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(rows[0].document_ids).toBeUndefined();
  });

  it('property: every row is blockSize long; the stream is the documents each followed by exactly one EOS', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 8, max: 999 }), { minLength: 1, maxLength: 20 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 16 }),
        fc.constantFrom<'drop' | 'pad'>('drop', 'pad'),
        (lists, blockSize, remainder) => {
          const rows = pack(lists, { blockSize, remainder });
          const stream = lists.flatMap((l) => [...l, EOS]);
          const got: number[] = [];
          for (const r of rows) {
            expect(r.input_ids.length).toBe(blockSize);
            r.attention_mask!.forEach((m, i) => m && got.push(r.input_ids[i]));
          }
          const full = Math.floor(stream.length / blockSize) * blockSize;
          expect(got).toEqual(remainder === 'pad' ? stream : stream.slice(0, full));
          expect(got.filter((x) => x === EOS).length).toBe(
            remainder === 'pad' ? lists.length : stream.slice(0, full).filter((x) => x === EOS).length,
          );
          for (const r of rows) {
            for (let i = 0; i < blockSize; i++) {
              if (!r.attention_mask![i]) continue;
              const docStart = i > 0 && r.input_ids[i - 1] === EOS;
              expect(r.position_ids![i]).toBe(i === 0 || docStart ? 0 : r.position_ids![i - 1] + 1);
              expect(r.document_ids![i]).toBe(i === 0 ? 0 : r.document_ids![i - 1] + (docStart ? 1 : 0));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('streams: rows come out before the documents end (an endless source)', () => {
    function* endless(): Generator<TokenExample> {
      for (let i = 0; ; i++) yield { input_ids: Int32Array.of(10 + (i % 50), 11) };
    }
    const it = clmObjective
      .transform(endless(), clmObjective.resolve({ pack: true, blockSize: 8 }), { seed: 0, epoch: 0, vocab: VOCAB })
      [Symbol.iterator]();
    const first = it.next().value as ModelInput;
    expect(arr(first, 'input_ids')).toEqual([10, 11, EOS, 11, 11, EOS, 12, 11]);
  });

  it("pad == eos: packed EOS labels are kept by default, erased with compat 'hf'", () => {
    const run = (compat: 'none' | 'hf') =>
      collect(
        clmObjective,
        docs([7, 8], [9]),
        { pack: true, blockSize: 5, remainder: 'pad', boundaryLabels: true, compat },
        1,
        GPT,
      ).map((r) => arr(r, 'labels'));
    expect(run('none')).toEqual([[7, 8, 50, 9, 50]]);
    expect(run('hf')).toEqual([[7, 8, -100, 9, -100]]);
  });

  it('a document already ending in EOS gets no second one', () => {
    const rows = collect(clmObjective, docs([10, 11, EOS], [12]), {
      pack: true,
      blockSize: 5,
      remainder: 'pad',
      boundaryLabels: true,
    });
    expect(rows.map((r) => arr(r, 'input_ids'))).toEqual([[10, 11, EOS, 12, EOS]]);
  });

  it('needs an EOS token', () => {
    const noEos = { ...VOCAB, eosId: undefined, specialIds: [0, 1, 2, 3, 4] };
    expect(() => collect(clmObjective, docs([10]), { pack: true }, 1, noEos)).toThrow('the tokenizer has no EOS token');
    expect(() => collect(clmObjective, docs([10], []), { pack: true })).toThrow('clm: document 1 has no tokens');
  });
});

describe("clm: compat 'hf-group-texts'", () => {
  const group = (lists: number[][], o: Partial<ClmOptions>) =>
    collect(clmObjective, docs(...lists), { compat: 'hf-group-texts', ...o }).map((r) => arr(r, 'input_ids'));

  it('concatenates without EOS, cuts blocks, drops the remainder of a group holding at least one block', () => {
    expect(
      group(
        [
          [10, 11, 12],
          [13, 14],
          [15, 16],
        ],
        { blockSize: 3 },
      ),
    ).toEqual([
      [10, 11, 12],
      [13, 14, 15],
    ]);
    const [r] = collect(clmObjective, docs([10, 11, 12]), { compat: 'hf-group-texts', blockSize: 3 });
    expect(arr(r, 'labels')).toEqual([10, 11, 12]);
    expect(r.position_ids).toBeUndefined();
  });

  it("drops a group shorter than one block, as today's run_clm.py", () => {
    expect(group([[10, 11], [12]], { blockSize: 8 })).toEqual([]);
    expect(group([[10, 11, 12], [13, 14], [15], [16]], { blockSize: 4, mapBatchSize: 2 })).toEqual([[10, 11, 12, 13]]);
  });

  it("'hf-group-texts-legacy' keeps a group shorter than one block as one short row (transformers PR #18304)", () => {
    const legacy = { compat: 'hf-group-texts-legacy' } as const;
    expect(group([[10, 11], [12]], { blockSize: 8, ...legacy })).toEqual([[10, 11, 12]]);
    // map batches of 2 documents: group 1 = 5 tokens (one block of 4 + dropped 1), group 2 = 2 tokens (short row)
    expect(group([[10, 11, 12], [13, 14], [15], [16]], { blockSize: 4, mapBatchSize: 2, ...legacy })).toEqual([
      [10, 11, 12, 13],
      [15, 16],
    ]);
  });

  it('rejects pack: false with hf-group-texts', () => {
    expect(() => resolveClmOptions({ compat: 'hf-group-texts', pack: false })).toThrow(PretextError);
    expect(() => resolveClmOptions({ blockSize: 0 })).toThrow('blockSize must be a positive integer');
  });
});
