// One shard of model-ready rows (static masks, BERT's dupe_factor) on disk, written atomically, HF column names:
//   npy:     NAME.FIELD.npy per field, [R, seqLen] (or [R] for a per-row label), rows padded to --seq-len;
//   parquet: NAME.parquet, one list<int32> column per field (int32 for a per-row label), padded to --seq-len,
//            row groups of 1,000 rows, what HF datasets' Parquet loader reads;
//   jsonl:   NAME.jsonl, one object per row, unpadded (as pretext transform writes).
import { join } from 'node:path';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { padRows, type Batch } from '../../src/batch/pad.js';
import type { ModelInput } from '../../src/batch/row.js';
import { PretextError } from '../../src/errors.js';
import { npyHeader, type NpyDtype } from '../../src/prepare/npy.js';
import { SyncAtomicWriter } from '../output.js';
import { serializeExample } from '../rows.js';

export type RowFormat = 'npy' | 'parquet' | 'jsonl';

const NPY_HEADER_BYTES = 128;
const ROW_GROUP = 1000;

// hyparquet-writer's own SchemaElement (it pins its own hyparquet version).
type ParquetSchema = ConstructorParameters<typeof ParquetWriter>[0]['schema'];

interface Column {
  name: string;
  /** values per row: seqLen, or 1 for a per-row label */
  width: number;
  dtype: NpyDtype;
}

export class RowShardWriter {
  private columns: Column[] | undefined;
  private readonly npy = new Map<string, SyncAtomicWriter>();
  private parquet:
    | { out: SyncAtomicWriter; bytes: ByteWriter; writer: ParquetWriter; pending: Batch[]; rows: number }
    | undefined;
  private jsonl: SyncAtomicWriter | undefined;
  private rows = 0;
  private tokens = 0;
  private documents = 0;

  constructor(
    private readonly dir: string,
    readonly name: string,
    readonly format: RowFormat,
    private readonly seqLen: number,
    private readonly padId: number,
  ) {
    if (format === 'jsonl') this.jsonl = new SyncAtomicWriter(join(dir, `${name}.jsonl`));
  }

  /** The files this shard writes, relative to the output folder (known once a row has been added). */
  get files(): string[] {
    if (this.format === 'jsonl') return [`${this.name}.jsonl`];
    if (this.format === 'parquet') return [`${this.name}.parquet`];
    return (this.columns ?? []).map((c) => `${this.name}.${c.name}.npy`);
  }

  get counts(): { documents: number; rows: number; tokens: number } {
    return { documents: this.documents, rows: this.rows, tokens: this.tokens };
  }

  /** The rows of one document (every epoch of its masks), in order. */
  addDocument(rows: readonly ModelInput[]): void {
    this.documents++;
    if (rows.length === 0) return;
    for (const r of rows) {
      if (r.input_ids.length > this.seqLen)
        throw new PretextError(`a row has ${r.input_ids.length} tokens, more than --seq-len ${this.seqLen}`);
      this.tokens += r.input_ids.length;
    }
    this.rows += rows.length;
    if (this.jsonl) {
      for (const r of rows) this.jsonl.write(serializeExample(withoutSource(r)) + '\n');
      return;
    }
    const batch = padRows(rows.map(withoutSource), { side: 'right', padId: this.padId, maxLength: this.seqLen });
    this.columns ??= this.open(batch);
    if (this.format === 'npy') {
      for (const c of this.columns) {
        const data = batch.fields[c.name];
        if (!data) throw new PretextError(`rows differ in their fields: ${c.name} is missing from a later row`);
        this.npy
          .get(c.name)!
          .write(
            c.dtype === '|u1'
              ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
              : new Uint8Array(Int32Array.from(data).buffer),
          );
      }
      return;
    }
    const p = this.parquet!;
    p.pending.push(batch);
    p.rows += batch.batchSize;
    if (p.rows >= ROW_GROUP) this.flushParquet();
  }

  // Columns from the first batch: every field of shape [B, seqLen] or [B].
  private open(batch: Batch): Column[] {
    const cols: Column[] = [];
    for (const [name, data] of Object.entries(batch.fields)) {
      const shape = batch.shapes[name];
      if (shape.length === 2 && shape[1] !== this.seqLen) continue; // ragged extras (masked positions) stay out of fixed-width formats
      cols.push({
        name,
        width: shape.length === 2 ? this.seqLen : 1,
        dtype: data instanceof Uint8Array ? '|u1' : '<i4',
      });
    }
    if (this.format === 'npy') {
      for (const c of cols) {
        const w = new SyncAtomicWriter(join(this.dir, `${this.name}.${c.name}.npy`));
        w.write(new Uint8Array(NPY_HEADER_BYTES));
        this.npy.set(c.name, w);
      }
    } else {
      const out = new SyncAtomicWriter(join(this.dir, `${this.name}.parquet`));
      const bytes = new ByteWriter();
      bytes.ensure = (size: number) => {
        if (bytes.index > 1 << 20) {
          out.write(new Uint8Array(bytes.buffer, 0, bytes.index).slice());
          bytes.index = 0;
        }
        if (bytes.index + size > bytes.buffer.byteLength) {
          const next = new ArrayBuffer(Math.max(bytes.buffer.byteLength * 2, bytes.index + size));
          new Uint8Array(next).set(new Uint8Array(bytes.buffer));
          bytes.buffer = next;
          bytes.view = new DataView(next);
        }
      };
      const schema = [{ name: 'root', num_children: cols.length }, ...cols.flatMap((c) => parquetColumn(c))];
      this.parquet = {
        out,
        bytes,
        writer: new ParquetWriter({ writer: bytes, schema, createdBy: 'pretext' }),
        pending: [],
        rows: 0,
      };
    }
    return cols;
  }

  // The pending padded batches as one row group: per column, each row's values (a list, or the row's label).
  private flushParquet(): void {
    const p = this.parquet!;
    if (p.rows === 0) return;
    const columnData = this.columns!.map((c) => {
      const data: (number | number[])[] = [];
      for (const b of p.pending) {
        const f = b.fields[c.name];
        if (!f) throw new PretextError(`rows differ in their fields: ${c.name} is missing from a later row`);
        for (let r = 0; r < b.batchSize; r++)
          data.push(c.width === 1 ? f[r] : Array.from(f.subarray(r * c.width, (r + 1) * c.width)));
      }
      return { name: c.name, data };
    });
    p.writer.write({ columnData, rowGroupSize: p.rows });
    p.pending = [];
    p.rows = 0;
  }

  commit(): void {
    if (this.jsonl) {
      this.jsonl.commit();
      return;
    }
    if (this.format === 'parquet') {
      this.columns ??= this.open({
        batchSize: 0,
        length: this.seqLen,
        fields: { input_ids: new Int32Array(0) },
        shapes: { input_ids: [0, this.seqLen] },
      });
      this.flushParquet();
      const p = this.parquet!;
      p.writer.finish();
      p.out.write(new Uint8Array(p.bytes.buffer, 0, p.bytes.index).slice());
      p.out.commit();
      return;
    }
    for (const c of this.columns ?? []) {
      const w = this.npy.get(c.name)!;
      w.writeAt(npyHeader(c.dtype, c.width === 1 ? [this.rows] : [this.rows, c.width], NPY_HEADER_BYTES), 0);
      w.commit();
    }
  }

  abort(): void {
    this.jsonl?.abort();
    this.parquet?.out.abort();
    for (const w of this.npy.values()) w.abort();
  }
}

// A pair objective's provenance is for show, not for the data.
function withoutSource(r: ModelInput): ModelInput {
  if (r.source === undefined) return r;
  const { source: _source, ...rest } = r;
  return rest as ModelInput;
}

// Parquet schema elements of a column: a per-row int32, or a required list<int32> (3-level LIST, as Arrow writes).
function parquetColumn(c: Column): ParquetSchema {
  if (c.width === 1) return [{ name: c.name, type: 'INT32', repetition_type: 'REQUIRED' }];
  return [
    { name: c.name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'INT32', repetition_type: 'REQUIRED' },
  ];
}
