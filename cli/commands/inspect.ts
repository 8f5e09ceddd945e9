// pretext inspect: what a file or folder pretext wrote holds: a prepared dataset (index.json, shard manifests,
// Megatron .idx/.bin, .npy), a checkpoint or run folder, a .safetensors, .parquet or .jsonl file.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { PretextError } from '../../src/errors.js';
import { readSafetensors } from '../../src/model/safetensors.js';
import type { DatasetIndex, ShardManifest } from '../../src/prepare/manifest.js';
import { INDEX_HEADER_BYTES, parseIndexHeader } from '../../src/prepare/megatron.js';
import { itemSize, parseNpyHeader } from '../../src/prepare/npy.js';
import { loadTokenizer, type Tokenizer } from '../../src/tokenize/index.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { defaultTokenizerPath } from '../default-tokenizers.js';
import { openAsyncBuffer } from '../io/file-access.js';
import { ColumnReader, readHead } from '../prepare/index-columns.js';
import { checkpointDir } from '../train-run.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  {
    name: 'tokenizer',
    type: 'string',
    help: 'tokenizer.json to decode an example with (default: the one a prepared dataset or checkpoint names)',
  },
  { name: 'json', type: 'boolean', default: false, help: 'print one JSON object instead of lines' },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];
const USAGE = 'pretext inspect PATH [--tokenizer tok.json] [--json]';
const ABOUT = `Say what PATH holds: shapes, dtypes, counts and a decoded example. PATH may be a prepared dataset folder
(pretext prepare), a shard's .idx / .bin / .npy, a run or checkpoint folder (pretext train, pretext export),
or a .safetensors, .parquet or .jsonl file.
Exit codes: 0 done, 2 bad input, 1 internal error.`;

type Report = Record<string, unknown>;

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** A few ids decoded, when a tokenizer is at hand. */
function example(ids: ArrayLike<number>, tok: Tokenizer | undefined): Report {
  const head = Array.from(ids).slice(0, 48);
  return tok ? { ids: head, text: tok.decode(head) } : { ids: head };
}

// The built-in tokenizer a manifest names, when its bytes are the ones the data was made with.
function builtInTokenizer(file: string, sha256: string): Tokenizer | undefined {
  const m = /^brown-(bert|gpt2|t5|bart)\.json$/.exec(file);
  if (!m) return undefined;
  const path = defaultTokenizerPath(m[1] as 'bert');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  return createHash('sha256').update(text).digest('hex') === sha256 ? loadTokenizer(text) : undefined;
}

// Read from the files' heads and the index's lengths column, never whole (a shard may hold billions of tokens).
function megatronShard(prefix: string, tok: Tokenizer | undefined): Report {
  const idxPath = `${prefix}.idx`;
  const h = parseIndexHeader(readHead(idxPath, INDEX_HEADER_BYTES));
  const S = h.sequences;
  if (statSync(idxPath).size < INDEX_HEADER_BYTES + 12 * S + 8 * h.documentIndices)
    throw new PretextError(`not a Megatron .idx file: ${idxPath} is truncated`);
  const fd = openSync(idxPath, 'r');
  let tokens = 0;
  let firstLength = 0;
  try {
    const lengths = new ColumnReader(fd, INDEX_HEADER_BYTES, 'int32');
    for (let s = 0; s < S; s++) {
      const n = lengths.read();
      if (s === 0) firstLength = n;
      tokens += n;
    }
  } finally {
    closeSync(fd);
  }
  const r: Report = {
    kind: 'megatron indexed dataset (MMIDIDX)',
    dtype: h.dtype,
    sequences: S,
    documents: h.documentIndices - 1,
    tokens,
  };
  if (existsSync(`${prefix}.bin`) && S > 0) {
    const item = h.dtype === 'uint16' ? 2 : 4;
    r.binBytes = statSync(`${prefix}.bin`).size;
    r.binMatchesIndex = r.binBytes === tokens * item;
    const first = readHead(`${prefix}.bin`, firstLength * item).slice();
    r.firstSequence = example(
      item === 2
        ? new Uint16Array(first.buffer, 0, first.length >> 1)
        : new Int32Array(first.buffer, 0, first.length >> 2),
      tok,
    );
  }
  return r;
}

function npyFile(path: string, tok: Tokenizer | undefined): Report {
  const bytes = readHead(path, 1 << 16);
  const h = parseNpyHeader(bytes);
  const data = bytes.buffer.slice(
    bytes.byteOffset + h.dataOffset,
    bytes.byteOffset + Math.min(bytes.length, h.dataOffset + 64 * itemSize(h.dtype)),
  );
  const head =
    h.dtype === '<u2'
      ? new Uint16Array(data)
      : h.dtype === '<i4'
        ? new Int32Array(data)
        : h.dtype === '<i8'
          ? Array.from(new BigInt64Array(data), Number)
          : new Uint8Array(data);
  return {
    kind: '.npy',
    dtype: h.dtype,
    shape: h.shape,
    first: path.endsWith('.tokens.npy') ? example(head, tok) : Array.from(head).slice(0, 16),
  };
}

function preparedFolder(dir: string, tok: Tokenizer | undefined): Report {
  const index = existsSync(join(dir, 'index.json'))
    ? (readJson(join(dir, 'index.json')) as unknown as DatasetIndex)
    : undefined;
  const manifests =
    index?.shards ??
    readdirSync(dir)
      .filter((f) => /^shard-\d+-of-\d+\.json$/.test(f))
      .map((f) => readJson(join(dir, f)) as unknown as ShardManifest);
  if (manifests.length === 0)
    throw new PretextError(`${dir}: no index.json or shard manifests (not a folder pretext prepare wrote)`);
  const s = manifests[0].settings;
  tok ??= builtInTokenizer(s.tokenizer.file, s.tokenizer.sha256);
  const r: Report = {
    kind: 'prepared dataset',
    complete: index !== undefined,
    settings: s,
    shards: manifests.map((m) => ({ shard: m.shard.index, ...m.counts, files: m.files.map((f) => f.name) })),
  };
  if (index) r.counts = index.counts;
  const first = manifests[0].files[0].name;
  if (first.endsWith('.bin')) r.example = megatronShard(join(dir, first.slice(0, -4)), tok).firstSequence;
  else if (first.endsWith('.npy')) r.example = npyFile(join(dir, first), tok).first;
  return r;
}

function modelFolder(path: string): Report {
  const dir = checkpointDir(path);
  const config = readJson(join(dir, 'config.json'));
  const weights = readSafetensors(new Uint8Array(readFileSync(join(dir, 'model.safetensors'))));
  let parameters = 0;
  for (const t of weights.tensors.values()) parameters += t.shape.reduce((a, b) => a * b, 1);
  const r: Report = {
    kind: 'model',
    folder: dir,
    model_type: config.model_type,
    architectures: config.architectures,
    parameters,
    tensors: weights.tensors.size,
  };
  const state = join(dir, 'trainer-state.json');
  if (existsSync(state)) {
    const s = readJson(state);
    r.trainer = { step: s.step, epoch: s.epoch, tokens_seen: s.tokens_seen };
  }
  r.tensorShapes = Object.fromEntries(
    [...weights.tensors].slice(0, 12).map(([n, t]) => [n, `${t.dtype}[${t.shape.join(', ')}]`]),
  );
  for (const sub of readdirSync(dir))
    if (existsSync(join(dir, sub, 'config.json'))) r[sub] = modelFolder(join(dir, sub));
  return r;
}

async function inspectPath(path: string, tok: Tokenizer | undefined): Promise<Report> {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new PretextError(`no such file: ${path}`);
  if (st.isDirectory()) {
    const names = readdirSync(path);
    if (names.some((n) => n === 'index.json' || /^shard-\d+-of-\d+\.json$/.test(n))) return preparedFolder(path, tok);
    if (
      names.includes('config.json') ||
      names.includes('run-config.json') ||
      names.some((n) => n.startsWith('checkpoint-'))
    )
      return modelFolder(path);
    throw new PretextError(`${path}: not a prepared dataset, run or checkpoint folder`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.idx' || ext === '.bin') return megatronShard(path.slice(0, -4), tok);
  if (ext === '.npy') return npyFile(path, tok);
  if (ext === '.safetensors') {
    const w = readSafetensors(new Uint8Array(readFileSync(path)));
    return {
      kind: 'safetensors',
      metadata: w.metadata,
      tensors: Object.fromEntries([...w.tensors].map(([n, t]) => [n, `${t.dtype}[${t.shape.join(', ')}]`])),
    };
  }
  if (ext === '.parquet') {
    const file = await openAsyncBuffer(path);
    try {
      const meta = await parquetMetadataAsync(file);
      const columns = parquetSchema(meta).children.map((c) => c.element.name);
      return { kind: 'parquet', rows: Number(meta.num_rows), rowGroups: meta.row_groups.length, columns };
    } catch (e) {
      throw new PretextError(`${path}: not a readable Parquet file (${(e as Error).message.split('\n')[0]})`);
    } finally {
      await file.close();
    }
  }
  if (ext === '.jsonl' || ext === '.json') {
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    let first: Record<string, unknown> = {};
    try {
      first = JSON.parse(lines[0] ?? '{}');
    } catch {
      throw new PretextError(`${path}:1: not JSON`);
    }
    return {
      kind: 'jsonl',
      rows: lines.length,
      fields: Object.keys(first),
      first: Object.fromEntries(Object.entries(first).map(([k, v]) => [k, Array.isArray(v) ? v.slice(0, 16) : v])),
    };
  }
  throw new PretextError(
    `${basename(path)}: pretext inspect reads folders and .idx, .bin, .npy, .safetensors, .parquet, .jsonl files`,
  );
}

function lines(r: Report, indent = ''): string {
  return Object.entries(r)
    .map(([k, v]) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? `${indent}${k}:\n${lines(v as Report, indent + '  ')}`
        : `${indent}${k}: ${Array.isArray(v) ? JSON.stringify(v) : String(v)}`,
    )
    .join('\n');
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'say what a prepared dataset, shard, checkpoint or tensor file holds',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    const [path, extra] = args.positionals;
    if (!path) throw new PretextError('give a PATH to inspect');
    if (extra) throw new PretextError(`unexpected argument '${extra}'`);
    const tokPath = args.flags.tokenizer as string | undefined;
    if (tokPath && !existsSync(tokPath)) throw new PretextError(`no such file: ${tokPath}`);
    const tok = tokPath ? loadTokenizer(readFileSync(tokPath, 'utf8')) : undefined;
    const r = await inspectPath(path, tok);
    process.stdout.write(args.flags.json ? JSON.stringify(r) + '\n' : lines(r) + '\n');
    return 0;
  },
};
