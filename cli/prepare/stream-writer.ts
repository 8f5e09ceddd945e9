// One shard of a token stream on disk, written atomically (temp files renamed at the end):
//   megatron: NAME.bin (ids) + NAME.idx (MMIDIDX), what Megatron-LM's IndexedDataset reads;
//   npy:      NAME.tokens.npy [N] ids, NAME.sequences.npy [S + 1] int64 token offsets,
//             NAME.documents.npy [D + 1] int64 sequence offsets (document d = sequences [doc[d], doc[d + 1])).
import { join } from 'node:path';
import {
  encodeTokens,
  indexHeader,
  INDEX_HEADER_BYTES,
  type MegatronDtype,
  dtypeBytes,
} from '../../src/prepare/megatron.js';
import { npyHeader, type NpyDtype } from '../../src/prepare/npy.js';
import { SyncAtomicWriter } from '../output.js';
import { BlockColumn, COLUMN_BLOCK_VALUES, SideFile } from './index-columns.js';

export type StreamFormat = 'megatron' | 'npy';

// Room for any int64 shape in the placeholder header ("(9007199254740991,)" fits in 128 bytes); numpy's own header
// for a 1-d int64 array is 128 bytes too, so the sequence and document offsets keep the bytes np.save writes.
const NPY_HEADER_BYTES = 128;

export interface StreamCounts {
  documents: number;
  sequences: number;
  tokens: number;
}

// Ids buffered before one write to the token file.
const BUFFER_IDS = 1 << 18;

// The index of a shard as it streams. megatron: the .idx (a placeholder header, then the lengths as they come), its
// byte pointers and document indices in side files copied after the lengths at the end; npy: the sequence and
// document offsets straight into their .npy files behind placeholder headers.
interface IndexColumns {
  /** per sequence, called before its tokens are counted */
  sequence(length: number, tokensBefore: number): void;
  /** per document, with the sequences so far */
  document(sequences: number): void;
  /** write the headers, assemble, rename into place */
  commit(counts: StreamCounts): void;
  abort(): void;
}

function megatronIndex(path: string, dtype: MegatronDtype, blockValues: number): IndexColumns {
  const idx = new SyncAtomicWriter(path);
  idx.write(new Uint8Array(INDEX_HEADER_BYTES));
  const pointersFile = new SideFile(path, 'pointers');
  const documentsFile = new SideFile(path, 'documents');
  const lengths = new BlockColumn('int32', (b) => idx.write(b), blockValues);
  const pointers = new BlockColumn('int64', pointersFile.write, blockValues);
  const documents = new BlockColumn('int64', documentsFile.write, blockValues);
  const item = dtypeBytes(dtype);
  documents.push(0);
  const removeSides = () => {
    pointersFile.remove();
    documentsFile.remove();
  };
  return {
    sequence(length, tokensBefore) {
      lengths.push(length);
      pointers.push(tokensBefore * item);
    },
    document: (sequences) => documents.push(sequences),
    commit(c) {
      for (const col of [lengths, pointers, documents]) col.flush();
      // positioned writes after the lengths (writeAt writes at once, so the copy reuses one buffer)
      const pointersAt = INDEX_HEADER_BYTES + 4 * c.sequences;
      pointersFile.copyTo((b, at) => idx.writeAt(b, pointersAt + at));
      documentsFile.copyTo((b, at) => idx.writeAt(b, pointersAt + pointersFile.bytes + at));
      idx.writeAt(indexHeader(dtype, c.sequences, c.documents + 1), 0);
      idx.commit();
      removeSides();
    },
    abort() {
      idx.abort();
      removeSides();
    },
  };
}

function npyIndex(dir: string, name: string, blockValues: number): IndexColumns {
  const seqFile = new SyncAtomicWriter(join(dir, `${name}.sequences.npy`));
  const docFile = new SyncAtomicWriter(join(dir, `${name}.documents.npy`));
  seqFile.write(new Uint8Array(NPY_HEADER_BYTES));
  docFile.write(new Uint8Array(NPY_HEADER_BYTES));
  const offsets = new BlockColumn('int64', (b) => seqFile.write(b), blockValues);
  const documents = new BlockColumn('int64', (b) => docFile.write(b), blockValues);
  offsets.push(0);
  documents.push(0);
  return {
    sequence: (length, tokensBefore) => offsets.push(tokensBefore + length),
    document: (sequences) => documents.push(sequences),
    commit(c) {
      offsets.flush();
      documents.flush();
      seqFile.writeAt(npyHeader('<i8', [c.sequences + 1], NPY_HEADER_BYTES), 0);
      docFile.writeAt(npyHeader('<i8', [c.documents + 1], NPY_HEADER_BYTES), 0);
      seqFile.commit();
      docFile.commit();
    },
    abort() {
      seqFile.abort();
      docFile.abort();
    },
  };
}

export class StreamShardWriter {
  private readonly tokens: SyncAtomicWriter;
  private readonly buffer = new Int32Array(BUFFER_IDS);
  private buffered = 0;
  private readonly index: IndexColumns;
  private tokenCount = 0;
  private sequenceCount = 0;
  private documentCount = 0;

  /** `blockValues`: index values gathered before a write (smaller in tests; the bytes are the same for any). */
  constructor(
    private readonly dir: string,
    readonly name: string,
    readonly format: StreamFormat,
    private readonly dtype: MegatronDtype,
    blockValues = COLUMN_BLOCK_VALUES,
  ) {
    this.tokens = new SyncAtomicWriter(join(dir, format === 'megatron' ? `${name}.bin` : `${name}.tokens.npy`));
    if (format === 'npy') this.tokens.write(new Uint8Array(NPY_HEADER_BYTES));
    this.index =
      format === 'megatron'
        ? megatronIndex(join(dir, `${name}.idx`), dtype, blockValues)
        : npyIndex(dir, name, blockValues);
  }

  /** The files this shard writes, relative to the output folder. */
  get files(): string[] {
    return this.format === 'megatron'
      ? [`${this.name}.bin`, `${this.name}.idx`]
      : ['tokens', 'sequences', 'documents'].map((k) => `${this.name}.${k}.npy`);
  }

  addDocument(sequences: readonly Int32Array[]): void {
    for (const seq of sequences) {
      if (this.buffered + seq.length > BUFFER_IDS) this.flush();
      if (seq.length > BUFFER_IDS) this.tokens.write(encodeTokens(seq, this.dtype));
      else {
        this.buffer.set(seq, this.buffered);
        this.buffered += seq.length;
      }
      this.index.sequence(seq.length, this.tokenCount);
      this.tokenCount += seq.length;
      this.sequenceCount++;
    }
    this.documentCount++;
    this.index.document(this.sequenceCount);
  }

  private flush(): void {
    if (this.buffered > 0) this.tokens.write(encodeTokens(this.buffer.subarray(0, this.buffered), this.dtype));
    this.buffered = 0;
  }

  get counts(): StreamCounts {
    return { documents: this.documentCount, sequences: this.sequenceCount, tokens: this.tokenCount };
  }

  /** Finish the index files, then rename everything into place (the token file first, the index after). */
  commit(): void {
    this.flush();
    if (this.format === 'npy') {
      const npyDtype: NpyDtype = this.dtype === 'uint16' ? '<u2' : '<i4';
      this.tokens.writeAt(npyHeader(npyDtype, [this.tokenCount], NPY_HEADER_BYTES), 0);
    }
    this.tokens.commit();
    this.index.commit(this.counts);
  }

  abort(): void {
    this.tokens.abort();
    this.index.abort();
  }
}
