// Probe items from labelled text: Brown documents cut into fixed-length token chunks labelled by genre, or labelled
// sentences. Rows carry the model's special tokens: [CLS] ... [SEP] for BERT and ELECTRA, none for GPT-2.
import type { Document } from '../corpus/document.js';
import { ensure } from '../errors.js';
import { bertPositions, type ModelConfig } from '../model/index.js';
import type { Tokenizer } from '../tokenize/index.js';
import type { ProbeItems } from './probe.js';

/** Absolute positions of the model (T5's relative positions have no limit: 512, its pretraining length). */
export function maxPositions(config: ModelConfig): number {
  if (config.model_type === 'gpt2') return config.n_positions;
  if (config.model_type === 't5') return 512;
  return config.model_type === 'electra' ? config.max_position_embeddings : bertPositions(config); // pre-LN: after pad
}

/** BERT-style rows ([CLS] ... [SEP]): BERT (post- and pre-LN) and ELECTRA. */
const clsSep = (config: ModelConfig): boolean => config.model_type !== 'gpt2' && config.model_type !== 't5';

/** Tokens a row may hold besides the model's special tokens ([CLS] and [SEP] for BERT and ELECTRA). */
export function rowCapacity(config: ModelConfig): number {
  return maxPositions(config) - (clsSep(config) ? 2 : 0);
}

/** ids -> the model's input row: [CLS] ids [SEP] (BERT, ELECTRA) or ids (GPT-2). */
export function modelRow(ids: ArrayLike<number>, config: ModelConfig, tokenizer: Tokenizer): Int32Array {
  if (!clsSep(config)) return Int32Array.from(ids);
  const { clsId, sepId } = tokenizer.vocabInfo();
  ensure(clsId !== undefined && sepId !== undefined, 'the tokenizer has no [CLS] / [SEP] tokens');
  return Int32Array.from([clsId, ...Array.from(ids), sepId]);
}

export interface ChunkOptions {
  /** tokens per chunk (without special tokens) */
  chunkTokens: number;
  /** chunks taken per document at most, evenly spaced over it */
  chunksPerDoc: number;
}

/** Each document's text (sentences joined by spaces) tokenized and cut into chunks; label = meta.genre. */
export function genreItems(
  docs: readonly Document[],
  tokenizer: Tokenizer,
  config: ModelConfig,
  o: ChunkOptions,
): ProbeItems {
  ensure(
    Number.isInteger(o.chunkTokens) && o.chunkTokens >= 1 && o.chunkTokens <= rowCapacity(config),
    `chunk tokens must be in [1, ${rowCapacity(config)}] for this model, got ${o.chunkTokens}`,
  );
  ensure(
    Number.isInteger(o.chunksPerDoc) && o.chunksPerDoc >= 1,
    `chunks per document must be a positive integer, got ${o.chunksPerDoc}`,
  );
  const genres = [...new Set(docs.map((d) => genreOf(d)))].sort();
  const items: ProbeItems = { texts: [], rows: [], labels: [], groups: [], classNames: genres };
  for (const doc of docs) {
    const text = doc.sentences.join(' ');
    const enc = tokenizer.encode(text, undefined, { addSpecialTokens: false });
    const L = o.chunkTokens;
    const full = Math.max(1, Math.floor(enc.ids.length / L));
    const take = Math.min(full, o.chunksPerDoc);
    for (let k = 0; k < take; k++) {
      const start = Math.floor((k * full) / take) * L;
      const end = Math.min(start + L, enc.ids.length);
      if (end <= start) continue;
      items.texts.push(text.slice(enc.offsets[start][0], enc.offsets[end - 1][1]));
      items.rows.push(modelRow(enc.ids.subarray(start, end), config, tokenizer));
      items.labels.push(genres.indexOf(genreOf(doc)));
      items.groups.push(doc.id);
    }
  }
  ensure(items.rows.length > 0, 'probe-genre: no chunks (the documents tokenized to nothing)');
  return items;
}

function genreOf(doc: Document): string {
  const g = doc.meta.genre;
  ensure(typeof g === 'string' && g !== '', `document ${doc.id} has no genre (probe-genre needs Brown's categories)`);
  return g;
}

export interface LabelledSentence {
  text: string;
  /** index into classNames */
  label: number;
}

/** One item per sentence, truncated to the model's positions; sentences with the same text share a group. */
export function sentenceItems(
  sentences: readonly LabelledSentence[],
  classNames: string[],
  tokenizer: Tokenizer,
  config: ModelConfig,
): ProbeItems {
  const items: ProbeItems = { texts: [], rows: [], labels: [], groups: [], classNames };
  for (const s of sentences) {
    ensure(
      Number.isInteger(s.label) && s.label >= 0 && s.label < classNames.length,
      `sentence label ${s.label} outside [0, ${classNames.length})`,
    );
    const ids = tokenizer.encode(s.text, undefined, { addSpecialTokens: false }).ids.subarray(0, rowCapacity(config));
    if (ids.length === 0) continue;
    items.texts.push(s.text);
    items.rows.push(modelRow(ids, config, tokenizer));
    items.labels.push(s.label);
    items.groups.push(s.text.trim().toLowerCase());
  }
  ensure(items.rows.length > 0, 'no sentences to probe');
  return items;
}
