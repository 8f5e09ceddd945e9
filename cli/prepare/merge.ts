// pretext prepare --merge: the shards of a token stream joined into one dataset ("merged"), documents back in
// corpus order (document d is the (d div n)-th of shard d mod n), so the result equals a one-shard run byte for byte.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { INDEX_HEADER_BYTES, parseIndexHeader } from '../../src/prepare/megatron.js';
import { itemSize, parseNpyHeader } from '../../src/prepare/npy.js';
import { interleave, shardName } from '../../src/prepare/shards.js';
import { ColumnReader, readHead } from './index-columns.js';
import { readIndex, verifyShard } from './manifest-files.js';
import { StreamShardWriter } from './stream-writer.js';

// One shard read front to back, a document at a time: its index columns and token file through block readers, so
// merging holds no more than a block of each whatever the shards' size.
interface ShardCursor {
  documents: number;
  /** the sequences of the shard's next document */
  nextDocument(): Int32Array[];
  close(): void;
}

function cursor(dir: string, name: string, format: 'megatron' | 'npy'): ShardCursor {
  const fds: number[] = [];
  const openFd = (p: string) => {
    const fd = openSync(p, 'r');
    fds.push(fd);
    return fd;
  };
  let documents: number;
  let docStarts: ColumnReader;
  let nextLength: () => number;
  let tokenFd: number;
  let tokenAt: number;
  let item: number;
  if (format === 'megatron') {
    const h = parseIndexHeader(readHead(join(dir, `${name}.idx`), INDEX_HEADER_BYTES));
    const idx = openFd(join(dir, `${name}.idx`));
    const lengths = new ColumnReader(idx, INDEX_HEADER_BYTES, 'int32');
    docStarts = new ColumnReader(idx, INDEX_HEADER_BYTES + 12 * h.sequences, 'int64');
    documents = h.documentIndices - 1;
    nextLength = () => lengths.read();
    (tokenFd = openFd(join(dir, `${name}.bin`))), (tokenAt = 0), (item = h.dtype === 'uint16' ? 2 : 4);
  } else {
    const npy = (k: string) => {
      const path = join(dir, `${name}.${k}.npy`);
      const h = parseNpyHeader(readHead(path, 4096));
      return { h, fd: openFd(path) };
    };
    const docs = npy('documents');
    const seqs = npy('sequences');
    const tokens = npy('tokens');
    documents = docs.h.shape[0] - 1;
    docStarts = new ColumnReader(docs.fd, docs.h.dataOffset, 'int64');
    const offsets = new ColumnReader(seqs.fd, seqs.h.dataOffset, 'int64');
    let last = offsets.read();
    nextLength = () => {
      const end = offsets.read();
      const n = end - last;
      last = end;
      return n;
    };
    (tokenFd = tokens.fd), (tokenAt = tokens.h.dataOffset), (item = itemSize(tokens.h.dtype));
  }
  let seqAt = docStarts.read();
  return {
    documents,
    nextDocument() {
      const seqEnd = docStarts.read();
      const lengths = Array.from({ length: seqEnd - seqAt }, nextLength);
      seqAt = seqEnd;
      const n = lengths.reduce((a, b) => a + b, 0);
      const bytes = new Uint8Array(n * item);
      if (readSync(tokenFd, bytes, 0, bytes.length, tokenAt) !== bytes.length)
        throw new PretextError(`${name}: the token file ends early`);
      tokenAt += bytes.length;
      const ids = item === 2 ? Int32Array.from(new Uint16Array(bytes.buffer)) : new Int32Array(bytes.buffer);
      const out: Int32Array[] = [];
      let at = 0;
      for (const len of lengths) out.push(ids.subarray(at, (at += len)));
      return out;
    },
    close: () => fds.forEach((fd) => closeSync(fd)),
  };
}

/** Join a complete prepared folder's shards into `merged.*`; returns the merged counts. */
export function mergeShards(dir: string): { documents: number; sequences: number; tokens: number; files: string[] } {
  const index = readIndex(dir);
  const { format, numShards, dtype } = index.settings;
  if (format !== 'megatron' && format !== 'npy')
    throw new PretextError(
      `--merge joins megatron and npy token streams; ${format} shards are read as they are (e.g. HF datasets data_files=[...])`,
    );
  if (index.settings.epochsOfMasks !== undefined)
    throw new PretextError('--merge joins token streams; rows with static masks are read shard by shard');
  for (const m of index.shards) {
    const problem = verifyShard(dir, m);
    if (problem)
      throw new PretextError(
        `${shardName(m.shard.index, numShards)}: ${problem}; re-run prepare for it before merging`,
      );
  }
  const readers = index.shards.map((m) => cursor(dir, shardName(m.shard.index, numShards), format));
  const out = new StreamShardWriter(dir, 'merged', format, dtype ?? 'int32');
  try {
    for (const [s] of interleave(readers.map((r) => r.documents))) out.addDocument(readers[s].nextDocument());
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    for (const r of readers) r.close();
  }
  return { ...out.counts, files: out.files };
}
