// Collation: unpadded rows -> one Batch of flat typed arrays [B * L] (row-major), padded on one side.
// Never truncates. Pad values: input_ids pad id, attention_mask 0, labels -100, token_type_ids / position_ids 0,
// document_ids / word_ids -1, special_tokens_mask 1; numeric fields (next_sentence_label ...) become [B].
// Fields named in DECODER_FIELDS (and labels, when rows have decoder_input_ids) pad to their own length; any other
// array whose length is not the row length (masked_positions) pads on the right to its own longest, with -1.
import { ensure } from '../errors.js';
import { IGNORE_INDEX, type ModelInput } from './row.js';

export type BatchField = Int32Array | Uint8Array | Float32Array;

export interface Batch {
  batchSize: number;
  /** padded length of the input-aligned fields */
  length: number;
  /** flat row-major data: [B * L] for input-aligned fields, [B * Lf] for others, [B] for scalars */
  fields: Record<string, BatchField>;
  /** each field's shape: [B, L], [B, Lf] or [B] */
  shapes: Record<string, number[]>;
}

export interface PadOptions {
  side: 'right' | 'left';
  padId: number;
  /** round the padded length up to a multiple of this */
  padToMultipleOf?: number;
  /** pad every row to this length (HF padding='max_length'); a longer row is an error */
  maxLength?: number;
}

const PAD_VALUES: Record<string, number> = {
  attention_mask: 0,
  labels: IGNORE_INDEX,
  token_type_ids: 0,
  position_ids: 0,
  document_ids: -1,
  word_ids: -1,
  special_tokens_mask: 1,
  decoder_attention_mask: 0,
  masked_positions: -1,
};
const TOKEN_FIELDS = new Set([
  'input_ids',
  'attention_mask',
  'token_type_ids',
  'position_ids',
  'document_ids',
  'word_ids',
  'special_tokens_mask',
]);
const DECODER_FIELDS = new Set(['decoder_input_ids', 'decoder_attention_mask']);
const RAGGED_FIELDS = new Set(['masked_positions', 'sbo_positions', 'sbo_left', 'sbo_right', 'sbo_relative']);

type Kind = 'token' | 'decoder' | 'ragged' | 'scalar';

function roundUp(n: number, m: number | undefined): number {
  return m ? Math.ceil(n / m) * m : n;
}

/** Pad rows into a Batch. Example: [[5, 6], [7]], right, pad 0 -> input_ids [5, 6, 7, 0], attention_mask [1, 1, 1, 0]. */
export function padRows(rows: readonly ModelInput[], opts: PadOptions): Batch {
  ensure(
    opts !== null && typeof opts === 'object',
    "padRows: options are required: { padId, side?: 'right' | 'left' }",
  );
  ensure(
    Number.isInteger(opts.padId),
    () => `padRows: options.padId must be an integer (the pad token id), got ${JSON.stringify(opts.padId)}`,
  );
  ensure(rows.length > 0, 'padRows: no rows to collate');
  const m = opts.padToMultipleOf;
  ensure(
    m === undefined || (Number.isInteger(m) && m > 0),
    `padRows: padToMultipleOf must be a positive integer, got ${m}`,
  );
  const B = rows.length;
  const hasDecoder = rows[0].decoder_input_ids !== undefined;
  const kinds = fieldKinds(rows, hasDecoder);
  let longest = 0;
  for (const r of rows) longest = Math.max(longest, r.input_ids.length);
  if (opts.maxLength !== undefined) {
    ensure(longest <= opts.maxLength, `padRows: a row has ${longest} tokens, more than maxLength ${opts.maxLength}`);
    longest = opts.maxLength;
  }
  const L = roundUp(longest, m);
  const batch: Batch = { batchSize: B, length: L, fields: {}, shapes: {} };
  for (const [key, kind] of kinds) {
    if (kind === 'scalar') {
      const vals = rows.map((r) => r[key] as number);
      batch.fields[key] = vals.every(Number.isInteger) ? Int32Array.from(vals) : Float32Array.from(vals);
      batch.shapes[key] = [B];
      continue;
    }
    const arrays = rows.map((r) => r[key] as BatchField);
    let width = L;
    if (kind !== 'token') {
      width = 0;
      for (const a of arrays) width = Math.max(width, a.length);
      if (kind === 'decoder') width = roundUp(width, m);
    }
    const pad =
      key === 'input_ids' || key === 'decoder_input_ids'
        ? opts.padId
        : (PAD_VALUES[key] ?? (kind === 'ragged' ? -1 : 0));
    batch.fields[key] = padField(arrays, width, pad, kind === 'ragged' ? 'right' : opts.side);
    batch.shapes[key] = [B, width];
  }
  if (!kinds.has('attention_mask')) {
    batch.fields.attention_mask = padField(
      rows.map((r) => new Uint8Array(r.input_ids.length).fill(1)),
      L,
      0,
      opts.side,
    );
    batch.shapes.attention_mask = [B, L];
  }
  return batch;
}

// Each field's kind; every field must be on every row, or on none (attention_mask may be absent everywhere).
function fieldKinds(rows: readonly ModelInput[], hasDecoder: boolean): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  rows.forEach((r, b) => {
    for (const [key, v] of Object.entries(r)) {
      if (typeof v === 'number') {
        kinds.set(key, 'scalar');
        continue;
      }
      if (v === undefined || !ArrayBuffer.isView(v)) continue;
      const a = v as BatchField;
      const aligned = a.length === r.input_ids.length;
      const kind: Kind = RAGGED_FIELDS.has(key)
        ? 'ragged'
        : DECODER_FIELDS.has(key) || (key === 'labels' && hasDecoder)
          ? 'decoder'
          : TOKEN_FIELDS.has(key) || key === 'labels'
            ? 'token'
            : aligned && kinds.get(key) !== 'ragged'
              ? 'token'
              : 'ragged';
      ensure(
        kind !== 'token' || aligned,
        () => `padRows: row ${b} has ${key} of length ${a.length} but ${r.input_ids.length} input_ids`,
      );
      kinds.set(key, kind);
    }
  });
  for (const key of kinds.keys()) {
    rows.forEach((r, b) =>
      ensure(
        r[key] !== undefined,
        `padRows: row ${b} has no ${key} but another row does; every row needs the same fields`,
      ),
    );
  }
  return kinds;
}

function padField(arrays: readonly BatchField[], width: number, pad: number, side: 'right' | 'left'): BatchField {
  const first = arrays[0];
  const out =
    first instanceof Uint8Array
      ? new Uint8Array(arrays.length * width)
      : first instanceof Float32Array
        ? new Float32Array(arrays.length * width)
        : new Int32Array(arrays.length * width);
  out.fill(pad);
  arrays.forEach((a, b) => out.set(a as never, b * width + (side === 'left' ? width - a.length : 0)));
  return out;
}
