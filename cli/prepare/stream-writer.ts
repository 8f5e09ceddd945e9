// One shard of a token stream on disk, written atomically (temp files renamed at the end):
//   megatron: NAME.bin (ids) + NAME.idx (MMIDIDX), what Megatron-LM's IndexedDataset reads;
//   npy:      NAME.tokens.npy [N] ids, NAME.sequences.npy [S + 1] int64 token offsets,
//             NAME.documents.npy [D + 1] int64 sequence offsets (document d = sequences [doc[d], doc[d + 1])).
import { join } from 'node:path';
import { encodeIndex, encodeTokens, type MegatronDtype } from '../../src/prepare/megatron.js';
import { npyHeader, type NpyDtype } from '../../src/prepare/npy.js';
import { SyncAtomicWriter } from '../output.js';

export type StreamFormat = 'megatron' | 'npy';

/** A growable Int32Array / Float64Array pair of counters. */
class Growable<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

// Room for any int64 shape in the placeholder header ("(9007199254740991,)" fits in 128 bytes).
const NPY_HEADER_BYTES = 128;

export interface StreamCounts {
  documents: number;
  sequences: number;
  tokens: number;
}

// Ids buffered before one write to the token file.
const BUFFER_IDS = 1 << 18;

export class StreamShardWriter {
  private readonly tokens: SyncAtomicWriter;
  private readonly buffer = new Int32Array(BUFFER_IDS);
  private buffered = 0;
  private readonly lengths = new Growable(new Int32Array(1024));
  private readonly documentStarts = new Growable(new Float64Array(1024));
  private tokenCount = 0;

  constructor(
    private readonly dir: string,
    readonly name: string,
    readonly format: StreamFormat,
    private readonly dtype: MegatronDtype,
  ) {
    this.tokens = new SyncAtomicWriter(join(dir, format === 'megatron' ? `${name}.bin` : `${name}.tokens.npy`));
    if (format === 'npy') this.tokens.write(new Uint8Array(NPY_HEADER_BYTES));
    this.documentStarts.push(0);
  }

  /** The files this shard writes, relative to the output folder. */
  get files(): string[] {
    return this.format === 'megatron' ? [`${this.name}.bin`, `${this.name}.idx`] : ['tokens', 'sequences', 'documents'].map((k) => `${this.name}.${k}.npy`);
  }

  addDocument(sequences: readonly Int32Array[]): void {
    for (const seq of sequences) {
      if (this.buffered + seq.length > BUFFER_IDS) this.flush();
      if (seq.length > BUFFER_IDS) this.tokens.write(encodeTokens(seq, this.dtype));
      else {
        this.buffer.set(seq, this.buffered);
        this.buffered += seq.length;
      }
      this.lengths.push(seq.length);
      this.tokenCount += seq.length;
    }
    this.documentStarts.push(this.lengths.length);
  }

  private flush(): void {
    if (this.buffered > 0) this.tokens.write(encodeTokens(this.buffer.subarray(0, this.buffered), this.dtype));
    this.buffered = 0;
  }

  get counts(): StreamCounts {
    return { documents: this.documentStarts.length - 1, sequences: this.lengths.length, tokens: this.tokenCount };
  }

  /** Finish the index files, then rename everything into place (the token file last but one, the index last). */
  commit(): void {
    this.flush();
    const lengths = this.lengths.view();
    const docs = this.documentStarts.view();
    if (this.format === 'megatron') {
      const idx = new SyncAtomicWriter(join(this.dir, `${this.name}.idx`));
      idx.write(encodeIndex(this.dtype, lengths, docs));
      this.tokens.commit();
      idx.commit();
      return;
    }
    const npyDtype: NpyDtype = this.dtype === 'uint16' ? '<u2' : '<i4';
    this.tokens.writeAt(npyHeader(npyDtype, [this.tokenCount], NPY_HEADER_BYTES), 0);
    const offsets = new BigInt64Array(lengths.length + 1);
    for (let s = 0; s < lengths.length; s++) offsets[s + 1] = offsets[s] + BigInt(lengths[s]);
    const seqFile = new SyncAtomicWriter(join(this.dir, `${this.name}.sequences.npy`));
    seqFile.write(npyHeader('<i8', [offsets.length]));
    seqFile.write(new Uint8Array(offsets.buffer));
    const docFile = new SyncAtomicWriter(join(this.dir, `${this.name}.documents.npy`));
    docFile.write(npyHeader('<i8', [docs.length]));
    docFile.write(new Uint8Array(BigInt64Array.from(docs, (d) => BigInt(d)).buffer));
    this.tokens.commit();
    seqFile.commit();
    docFile.commit();
  }

  abort(): void {
    this.tokens.abort();
  }
}
