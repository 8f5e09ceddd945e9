// pretext prepare --merge: the shards of a token stream joined into one dataset ("merged"), documents back in
// corpus order (document d is the (d div n)-th of shard d mod n), so the result equals a one-shard run byte for byte.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { parseIndex } from '../../src/prepare/megatron.js';
import { itemSize, parseNpyHeader } from '../../src/prepare/npy.js';
import { interleave, shardName } from '../../src/prepare/shards.js';
import { readIndex, verifyShard } from './manifest-files.js';
import { StreamShardWriter } from './stream-writer.js';

interface ShardReader {
  /** [D + 1] sequence offsets of documents */
  documents: Float64Array;
  /** [S] sequence lengths */
  lengths: Int32Array;
  /** read the ids of sequences [s0, s1) */
  read(s0: number, s1: number): Int32Array[];
  close(): void;
}

function reader(dir: string, name: string, format: 'megatron' | 'npy'): ShardReader {
  let documents: Float64Array;
  let lengths: Int32Array;
  let dataPath: string;
  let dataOffset: number;
  let item: number;
  if (format === 'megatron') {
    const idx = parseIndex(readFileSync(join(dir, `${name}.idx`)));
    ({ documentIndices: documents, sequenceLengths: lengths } = idx);
    dataPath = join(dir, `${name}.bin`);
    dataOffset = 0;
    item = idx.dtype === 'uint16' ? 2 : 4;
  } else {
    const npy = (k: string) => {
      const bytes = readFileSync(join(dir, `${name}.${k}.npy`));
      const h = parseNpyHeader(bytes);
      return Float64Array.from(new BigInt64Array(bytes.buffer.slice(bytes.byteOffset + h.dataOffset, bytes.byteOffset + bytes.length)), Number);
    };
    documents = npy('documents');
    const offsets = npy('sequences');
    lengths = Int32Array.from({ length: offsets.length - 1 }, (_, s) => offsets[s + 1] - offsets[s]);
    dataPath = join(dir, `${name}.tokens.npy`);
    const head = new Uint8Array(256);
    const fd0 = openSync(dataPath, 'r');
    readSync(fd0, head, 0, head.length, 0);
    closeSync(fd0);
    const h = parseNpyHeader(head);
    dataOffset = h.dataOffset;
    item = itemSize(h.dtype);
  }
  const starts = new Float64Array(lengths.length + 1);
  for (let s = 0; s < lengths.length; s++) starts[s + 1] = starts[s] + lengths[s];
  const fd = openSync(dataPath, 'r');
  return {
    documents,
    lengths,
    read(s0, s1) {
      const n = starts[s1] - starts[s0];
      const bytes = new Uint8Array(n * item);
      readSync(fd, bytes, 0, bytes.length, dataOffset + starts[s0] * item);
      const ids = item === 2 ? Int32Array.from(new Uint16Array(bytes.buffer)) : new Int32Array(bytes.buffer);
      const out: Int32Array[] = [];
      for (let s = s0; s < s1; s++) out.push(ids.subarray(starts[s] - starts[s0], starts[s + 1] - starts[s0]));
      return out;
    },
    close: () => closeSync(fd),
  };
}

/** Join a complete prepared folder's shards into `merged.*`; returns the merged counts. */
export function mergeShards(dir: string): { documents: number; sequences: number; tokens: number; files: string[] } {
  const index = readIndex(dir);
  const { format, numShards, dtype } = index.settings;
  if (format !== 'megatron' && format !== 'npy') throw new PretextError(`--merge joins megatron and npy token streams; ${format} shards are read as they are (e.g. HF datasets data_files=[...])`);
  if (index.settings.epochsOfMasks !== undefined) throw new PretextError('--merge joins token streams; rows with static masks are read shard by shard');
  for (const m of index.shards) {
    const problem = verifyShard(dir, m);
    if (problem) throw new PretextError(`${shardName(m.shard.index, numShards)}: ${problem}; re-run prepare for it before merging`);
  }
  const readers = index.shards.map((m) => reader(dir, shardName(m.shard.index, numShards), format));
  const out = new StreamShardWriter(dir, 'merged', format, dtype ?? 'int32');
  try {
    for (const [s, p] of interleave(readers.map((r) => r.documents.length - 1))) {
      const r = readers[s];
      out.addDocument(r.read(r.documents[p], r.documents[p + 1]));
    }
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    for (const r of readers) r.close();
  }
  return { ...out.counts, files: out.files };
}
