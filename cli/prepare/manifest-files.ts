// Prepared-dataset manifests on disk: checksums of written files, per-shard NAME.json, the folder's index.json.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PretextError } from '../../src/errors.js';
import {
  datasetIndex,
  MANIFEST_FORMAT,
  type DatasetIndex,
  type FileEntry,
  type ShardManifest,
} from '../../src/prepare/manifest.js';
import { shardName } from '../../src/prepare/shards.js';
import { writeFileAtomic } from '../output.js';

/** sha256 of a file, read in 4 MiB pieces. */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(1 << 22);
    for (let n: number; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export function fileEntry(dir: string, name: string): FileEntry {
  const path = join(dir, name);
  return { name, bytes: statSync(path).size, sha256: sha256File(path) };
}

export const manifestPath = (dir: string, index: number, count: number): string =>
  join(dir, `${shardName(index, count)}.json`);

/** A shard's manifest, or undefined when the shard has not finished. */
export function readShardManifest(dir: string, index: number, count: number): ShardManifest | undefined {
  const path = manifestPath(dir, index, count);
  if (!existsSync(path)) return undefined;
  let m: ShardManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as ShardManifest;
  } catch {
    throw new PretextError(`${path}: not a readable manifest (remove it to rebuild the shard)`);
  }
  if (m.format !== MANIFEST_FORMAT) throw new PretextError(`${path}: not a pretext prepare manifest`);
  return m;
}

/** The first problem with a finished shard's files ("NAME: missing", "NAME: checksum differs"), or undefined. */
export function verifyShard(dir: string, m: ShardManifest): string | undefined {
  for (const f of m.files) {
    const path = join(dir, f.name);
    if (!existsSync(path)) return `${f.name} is missing`;
    if (statSync(path).size !== f.bytes)
      return `${f.name} has ${statSync(path).size} bytes, the manifest says ${f.bytes}`;
    if (sha256File(path) !== f.sha256) return `${f.name}'s checksum differs from the manifest`;
  }
  return undefined;
}

export function writeShardManifest(dir: string, m: ShardManifest): void {
  writeFileAtomic(manifestPath(dir, m.shard.index, m.shard.count), JSON.stringify(m, null, 1) + '\n');
}

/** index.json once every shard of `count` has its manifest; returns it, or undefined while some are missing. */
export function writeIndexWhenComplete(dir: string, count: number): DatasetIndex | undefined {
  const shards: ShardManifest[] = [];
  for (let i = 0; i < count; i++) {
    const m = readShardManifest(dir, i, count);
    if (!m) return undefined;
    shards.push(m);
  }
  const index = datasetIndex(shards);
  writeFileAtomic(join(dir, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  return index;
}

export function readIndex(dir: string): DatasetIndex {
  const path = join(dir, 'index.json');
  if (!existsSync(path))
    throw new PretextError(
      `${path} is missing: run every shard first (pretext prepare ... --shard-index i --num-shards n)`,
    );
  const index = JSON.parse(readFileSync(path, 'utf8')) as DatasetIndex;
  if (index.format !== MANIFEST_FORMAT) throw new PretextError(`${path}: not a pretext prepare index`);
  return index;
}
