// Packing: documents -> one stream with exactly one EOS after each (none added to a document already ending in EOS)
// -> rows of blockSize tokens.
// Streaming: a generator over the documents; memory is one block. Rows never silently come out shorter.
// Packed row fields, all [blockSize]: input_ids, labels, attention_mask, position_ids (0 at each document start and
// at the row start) and, with documentAttention, document_ids = 0-based index of the document segment within the
// row (a row that starts mid-document calls that segment 0). Padding: pad id, label -100, attention 0, document -1.
import { RowArena } from '../../batch/arena.js';
import { ensure } from '../../errors.js';
import { checkRow } from '../mlm/vocab-tables.js';
import { IGNORE_INDEX, type ModelInput, type TokenExample } from '../../batch/row.js';
import type { VocabInfo } from '../../tokenize/vocab.js';
import { isGroupTexts, type ClmOptions } from './options.js';

type Block = ModelInput & { labels: Int32Array; attention_mask: Uint8Array; position_ids: Int32Array };

function newBlock(arena: RowArena, n: number, withDocs: boolean): Block {
  const b: Block = {
    input_ids: arena.int32(n),
    labels: arena.int32(n),
    attention_mask: arena.uint8(n).fill(1),
    position_ids: arena.int32(n),
  };
  if (withDocs) b.document_ids = arena.int32(n);
  return b;
}

/** Pack documents (token rows without EOS) into blocks; `startIndex` numbers the documents in error messages. */
export function* packDocuments(
  docs: Iterable<TokenExample>,
  opts: ClmOptions,
  vocab: VocabInfo,
  startIndex = 0,
): Generator<ModelInput> {
  if (isGroupTexts(opts)) return yield* groupTexts(docs, opts, vocab, startIndex);
  ensure(vocab.eosId !== undefined, 'clm: packing appends one EOS per document; the tokenizer has no EOS token');
  const eos = vocab.eosId;
  const B = opts.blockSize;
  const docAttn = opts.documentAttention;
  const maskPad = opts.compat === 'hf';
  const padId = vocab.padId;
  const arena = new RowArena();
  let blk = newBlock(arena, B, docAttn);
  let n = 0; // tokens in the current block
  let seg = 0; // document segment index within the block
  let d = startIndex;
  for (const doc of docs) {
    const ids = doc.input_ids;
    checkRow(ids, vocab, 'clm: document', d++);
    const len = ids[ids.length - 1] === eos ? ids.length : ids.length + 1; // with exactly one EOS
    if (n > 0 && n < B) seg++;
    for (let j = 0, pos = 0; j < len; ) {
      if (n === B) {
        if (maskPad) maskPadLabels(blk, n, padId);
        yield blk;
        blk = newBlock(arena, B, docAttn);
        n = seg = pos = 0;
      }
      const take = Math.min(B - n, len - j);
      copySegment(blk, n, ids, j, take, eos, docAttn ? pos : n, seg);
      if (j === 0 && !opts.boundaryLabels) blk.labels[n] = IGNORE_INDEX;
      n += take;
      j += take;
      pos += take;
    }
  }
  if (maskPad) maskPadLabels(blk, n, padId);
  if (n === B) yield blk;
  else if (n > 0 && opts.remainder === 'pad') yield padBlock(blk, n, padId);
}

// Tokens j .. j + take of the document (index ids.length is its EOS) into the block at n.
function copySegment(
  blk: Block,
  n: number,
  ids: Int32Array,
  j: number,
  take: number,
  eos: number,
  pos0: number,
  seg: number,
): void {
  const fromDoc = Math.max(0, Math.min(take, ids.length - j));
  if (fromDoc > 0) {
    const src = ids.subarray(j, j + fromDoc);
    blk.input_ids.set(src, n);
    blk.labels.set(src, n);
  }
  if (take > fromDoc) blk.input_ids[n + take - 1] = blk.labels[n + take - 1] = eos;
  const p = blk.position_ids;
  for (let k = 0; k < take; k++) p[n + k] = pos0 + k;
  blk.document_ids?.fill(seg, n, n + take);
}

// compat 'hf': labels -100 wherever the id equals the pad id (transformers#23530).
function maskPadLabels(blk: Block, n: number, padId: number): void {
  for (let k = 0; k < n; k++) if (blk.input_ids[k] === padId) blk.labels[k] = IGNORE_INDEX;
}

function padBlock(blk: Block, n: number, padId: number): Block {
  blk.input_ids.fill(padId, n);
  blk.labels.fill(IGNORE_INDEX, n);
  blk.attention_mask.fill(0, n);
  blk.position_ids.fill(0, n);
  blk.document_ids?.fill(-1, n);
  return blk;
}

// HF run_clm group_texts: per map batch of documents, concatenate (no EOS), cut into blocks, drop the remainder.
// Legacy (before transformers PR #18304 was declined and the example changed): a group shorter than one block came out
// as one short row.
function* groupTexts(
  docs: Iterable<TokenExample>,
  opts: ClmOptions,
  vocab: VocabInfo,
  startIndex: number,
): Generator<ModelInput> {
  const B = opts.blockSize;
  const keepShort = opts.compat === 'hf-group-texts-legacy';
  const buf = new Int32Array(B);
  let n = 0;
  let groupTokens = 0;
  let inGroup = 0;
  let d = startIndex;
  const row = (len: number): ModelInput => {
    const input_ids = buf.slice(0, len);
    return { input_ids, labels: input_ids.slice(), attention_mask: new Uint8Array(len).fill(1) };
  };
  for (const doc of docs) {
    const ids = doc.input_ids;
    checkRow(ids, vocab, 'clm: document', d++);
    for (let j = 0; j < ids.length; j++) {
      buf[n++] = ids[j];
      if (n === B) {
        yield row(B);
        n = 0;
      }
    }
    groupTokens += ids.length;
    if (++inGroup === opts.mapBatchSize) {
      if (keepShort && groupTokens < B && n > 0) yield row(n);
      n = inGroup = groupTokens = 0;
    }
  }
  if (keepShort && groupTokens < B && n > 0) yield row(n);
}
