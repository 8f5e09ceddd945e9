// JSONL rows in and out: token rows {"input_ids": [...], "word_ids"?: [...]}, document rows
// {"id": ..., "sentences": [[...], ...], "word_ids"?: [[...], ...]}; outputs are one JSON object per example with HF field names.
import { PretextError } from '../src/errors.js';
import type { DocumentExample, ModelInput, TokenExample } from '../src/batch/row.js';

function intArray(value: unknown, where: string, field: string): Int32Array {
  if (!Array.isArray(value)) throw new PretextError(`${where}: '${field}' must be an array of integers`);
  const out = new Int32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)
      throw new PretextError(
        `${where}: '${field}' must be an array of integers, found ${JSON.stringify(v)} at index ${i}`,
      );
    out[i] = v;
  }
  return out;
}

function parseLine(line: string, where: string): Record<string, unknown> {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (e) {
    throw new PretextError(`${where}: malformed JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    throw new PretextError(`${where}: expected a JSON object`);
  return row as Record<string, unknown>;
}

/** A token row. `where` names the file and line for errors. */
export function parseTokenRow(line: string, where: string): TokenExample {
  const row = parseLine(line, where);
  if (!('input_ids' in row)) throw new PretextError(`${where}: missing 'input_ids'`);
  const ex: TokenExample = { input_ids: intArray(row.input_ids, where, 'input_ids') };
  if (row.word_ids !== undefined) {
    ex.word_ids = intArray(row.word_ids, where, 'word_ids');
    if (ex.word_ids.length !== ex.input_ids.length)
      throw new PretextError(
        `${where}: 'word_ids' has ${ex.word_ids.length} entries for ${ex.input_ids.length} tokens`,
      );
  }
  for (const extra of ['positive_ids', 'negative_ids'] as const) {
    if (row[extra] !== undefined)
      (ex as unknown as Record<string, Int32Array>)[extra] = intArray(row[extra], where, extra);
  }
  return ex;
}

/** A document row. */
export function parseDocumentRow(line: string, where: string, fallbackId: number): DocumentExample {
  const row = parseLine(line, where);
  if (!Array.isArray(row.sentences))
    throw new PretextError(`${where}: 'sentences' must be an array of token-id arrays`);
  const id = typeof row.id === 'string' || typeof row.id === 'number' ? row.id : fallbackId;
  const doc: DocumentExample = { id, sentences: row.sentences.map((s, i) => intArray(s, where, `sentences[${i}]`)) };
  if (row.word_ids !== undefined) {
    if (!Array.isArray(row.word_ids) || row.word_ids.length !== doc.sentences.length) {
      throw new PretextError(`${where}: 'word_ids' must be one array per sentence (${doc.sentences.length})`);
    }
    doc.word_ids = row.word_ids.map((w, i) => {
      const ids = intArray(w, where, `word_ids[${i}]`);
      if (ids.length !== doc.sentences[i].length)
        throw new PretextError(
          `${where}: 'word_ids[${i}]' has ${ids.length} entries for ${doc.sentences[i].length} tokens`,
        );
      return ids;
    });
  }
  return doc;
}

/** One output example as a JSON line (typed arrays become arrays). */
export function serializeExample(ex: ModelInput): string {
  return serializeRow(ex);
}

/** Any row (examples, token rows, documents) as a JSON line; typed arrays, nested too, become arrays. */
export function serializeRow(row: object): string {
  return JSON.stringify(row, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v));
}
