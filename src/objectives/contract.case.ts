// The contract every objective runs (hono's common.case pattern): shapes, ignore label, determinism, independence
// from batching, no special token selected, inputs never mutated, bad input rejected. Skips must give a reason.
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { IGNORE_INDEX, type DocumentExample, type ModelInput, type TokenExample } from '../batch/row.js';
import type { Objective } from './objective.js';
import { specialMask, type VocabInfo } from '../tokenize/vocab.js';

type Check = 'shapes' | 'determinism' | 'seedMatters' | 'batching' | 'noSpecialSelected' | 'noMutation' | 'badInput';

export interface ContractCase {
  objective: Objective;
  vocab: VocabInfo;
  options?: Record<string, unknown>;
  /** Token rows for token objectives, documents for document objectives (fresh copies on every call). */
  input: () => TokenExample[] | DocumentExample[];
  /** Labels are original ids at selected positions (masking objectives): a selected label is never special. */
  selectsTokens?: boolean;
  /** Checks to skip, each with the reason. */
  skip?: Partial<Record<Check, string>>;
  /** Name suffix when an objective runs the contract more than once (e.g. with other options). */
  variant?: string;
}

function run(c: ContractCase, seed: number, input = c.input(), startIndex = 0): ModelInput[] {
  const opts = c.objective.resolve(c.options ?? {});
  const ctx = { seed, epoch: 0, vocab: c.vocab, startIndex };
  return [
    ...(c.objective.transform as (x: unknown, o: unknown, ctx: unknown) => Iterable<ModelInput>)(input, opts, ctx),
  ];
}

function plain(rows: ModelInput[]): unknown {
  return JSON.parse(JSON.stringify(rows, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v)));
}

export function objectiveContract(c: ContractCase): void {
  const name = `${c.objective.id} contract${c.variant ? ` (${c.variant})` : ''}`;
  const test = (check: Check, title: string, fn: () => void) =>
    c.skip?.[check] ? it.skip(`${title} — skipped: ${c.skip[check]}`, fn) : it(title, fn);
  const special = specialMask(c.vocab);
  const V = c.vocab.vocabSize;

  describe(name, () => {
    test('shapes', 'fields have consistent lengths and ids lie in the vocabulary', () => {
      const rows = run(c, 1);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const L = r.input_ids.length;
        expect(L).toBeGreaterThan(0);
        for (const f of ['attention_mask', 'token_type_ids', 'position_ids', 'document_ids'] as const) {
          if (r[f] !== undefined) expect((r[f] as Int32Array).length, f).toBe(L);
        }
        if (r.labels) expect(r.labels.length).toBe(r.decoder_input_ids ? r.decoder_input_ids.length : L);
        for (const id of r.input_ids) expect(id >= 0 && id < V).toBe(true);
        if (r.labels) for (const y of r.labels) expect(y === IGNORE_INDEX || (y >= 0 && y < V)).toBe(true);
      }
    });

    test('determinism', 'same seed, same output', () => {
      expect(plain(run(c, 7))).toEqual(plain(run(c, 7)));
    });

    test('seedMatters', 'another seed gives another output', () => {
      expect(plain(run(c, 7))).not.toEqual(plain(run(c, 8)));
    });

    test('batching', 'output does not depend on how the stream is cut into batches', () => {
      if (c.objective.needs.documents) throw new Error('document objectives must skip batching with a reason');
      const rows = c.input() as TokenExample[];
      const whole = plain(run(c, 3, rows));
      const cut = Math.max(1, Math.floor(rows.length / 2));
      const parts = [...run(c, 3, rows.slice(0, cut), 0), ...run(c, 3, rows.slice(cut), cut)];
      expect(plain(parts)).toEqual(whole);
    });

    test('noSpecialSelected', 'no special token is ever selected as a target', () => {
      const input = c.input() as TokenExample[];
      const rows = run(c, 11, input);
      for (let r = 0; r < rows.length; r++) {
        const { labels } = rows[r];
        expect(labels).toBeDefined();
        for (let i = 0; i < labels!.length; i++) {
          if (labels![i] !== IGNORE_INDEX) expect(special[labels![i]], `row ${r} position ${i}`).toBe(0);
        }
      }
    });

    test('noMutation', 'inputs are never mutated', () => {
      const input = c.input();
      const before = JSON.stringify(input, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v));
      run(c, 5, input);
      expect(JSON.stringify(input, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v))).toBe(before);
    });

    test('badInput', 'a row with no tokens and an id outside the vocabulary are one-line PretextErrors', () => {
      const bad: unknown[] = c.objective.needs.documents
        ? [
            [{ id: 'x', sentences: [] }, ...(c.input() as DocumentExample[])],
            [{ id: 'y', sentences: [Int32Array.of(V + 5)] }, ...(c.input() as DocumentExample[])],
          ]
        : [[{ input_ids: new Int32Array(0) }], [{ input_ids: Int32Array.of(V + 5) }]];
      for (const input of bad) {
        let err: unknown;
        try {
          run(c, 1, input as TokenExample[]);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(PretextError);
        expect((err as Error).message).not.toContain('\n');
      }
    });
  });
}
