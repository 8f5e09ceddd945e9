// Pair accuracy of BertForPreTraining's pair head (NSP or SOP) on held-out documents: the pairs come from the
// objective's own transform (masking off), the prediction is argmax of cls.seq_relationship(pooled [CLS]). When the
// objective draws B from other documents (NSP), a harder control draws it from another document of the same genre
// (the transform run on one genre at a time), since B from a random document can often be told apart by topic alone
// ("NSP is too easy", RoBERTa/ALBERT).
import type { Document } from '../corpus/document.js';
import { padRows } from '../batch/pad.js';
import { ensure } from '../errors.js';
import type { Model } from '../model/index.js';
import type { DocumentExample, ModelInput } from '../batch/row.js';
import type { DocumentObjective } from '../objectives/objective.js';
import type { Tokenizer } from '../tokenize/index.js';
import type { OnProgress } from './embed.js';

export interface PairScores {
  accuracy: number;
  pairs: number;
  /** share of label 1 (NotNext / swapped) */
  positiveRate: number;
  /** accuracy of always answering the more frequent label */
  majority: number;
}

export interface PairAccuracy {
  objective: string;
  seed: number;
  maxSeqLen: number;
  documents: number;
  heldOut: PairScores;
  /** objectives drawing B from other documents (NSP): B from another document of the same genre */
  sameGenre?: PairScores & { genres: number; skippedGenres: string[] };
}

export interface PairOptions {
  /** the pair objective whose transform makes the pairs (nsp, sop) */
  objective: DocumentObjective;
  seed: number;
  maxSeqLen: number;
  maxPairs: number;
}

const BATCH = 16;

export function pairAccuracy(
  model: Model,
  tokenizer: Tokenizer,
  docs: readonly Document[],
  o: PairOptions,
  onProgress?: OnProgress,
): PairAccuracy {
  ensure(
    model.config.model_type === 'bert' && model.config.architectures[0] === 'BertForPreTraining',
    'pair accuracy needs a BERT model with the pair head (BertForPreTraining: an nsp or sop run)',
  );
  const examples: DocumentExample[] = docs.map((d) => ({
    id: d.id,
    sentences: d.sentences
      .map((s) => tokenizer.encode(s, undefined, { addSpecialTokens: false }).ids)
      .filter((ids) => ids.length > 0),
  }));
  const pairs = (group: DocumentExample[], seed: number) =>
    [...makePairs(group, o, tokenizer, seed)].slice(0, o.maxPairs);
  const heldOutRows = pairs(examples, o.seed);
  const result: PairAccuracy = {
    objective: o.objective.id,
    seed: o.seed,
    maxSeqLen: o.maxSeqLen,
    documents: docs.length,
    heldOut: { accuracy: 0, pairs: 0, positiveRate: 0, majority: 0 },
  };
  let sameGenreRows: ModelInput[] = [];
  const skippedGenres: string[] = [];
  let genres = 0;
  const otherDocuments = heldOutRows.some((r) => r.source !== undefined && r.source.b.doc !== r.source.a.doc);
  if (otherDocuments) {
    const byGenre = new Map<string, DocumentExample[]>();
    docs.forEach((d, i) =>
      byGenre.set(String(d.meta.genre ?? ''), [...(byGenre.get(String(d.meta.genre ?? '')) ?? []), examples[i]]),
    );
    for (const [genre, group] of [...byGenre].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (group.length < 2) skippedGenres.push(genre);
      else {
        genres++;
        sameGenreRows.push(...pairs(group, o.seed));
      }
    }
    sameGenreRows = sameGenreRows.slice(0, o.maxPairs);
  }
  const total = heldOutRows.length + sameGenreRows.length;
  const progress = (done: number) => onProgress?.(done, total);
  result.heldOut = scorePairs(model, heldOutRows, tokenizer.vocabInfo().padId, progress);
  if (sameGenreRows.length > 0) {
    const scores = scorePairs(model, sameGenreRows, tokenizer.vocabInfo().padId, (d) =>
      progress(heldOutRows.length + d),
    );
    result.sameGenre = { ...scores, genres, skippedGenres };
  }
  return result;
}

function makePairs(docs: DocumentExample[], o: PairOptions, tokenizer: Tokenizer, seed: number): Iterable<ModelInput> {
  const ctx = { seed, epoch: 0, vocab: tokenizer.vocabInfo() };
  return o.objective.transform(docs, o.objective.resolve({ maskProb: 0, maxSeqLen: o.maxSeqLen }), ctx);
}

// argmax of the pair head against the row's label (next_sentence_label or sentence_order_label), batch by batch.
function scorePairs(model: Model, rows: ModelInput[], padId: number, progress: (done: number) => void): PairScores {
  ensure(rows.length > 0, 'pair accuracy: the held-out documents gave no pairs');
  const C = model.config.model_type === 'bert' ? model.config.hidden_size : 0;
  const byName = new Map(model.parameters().map((p) => [p.name, p.data]));
  const W = byName.get('cls.seq_relationship.weight') as Float32Array; // [2, C]
  const bias = byName.get('cls.seq_relationship.bias') as Float32Array; // [2]
  let correct = 0;
  let positives = 0;
  for (let s = 0; s < rows.length; s += BATCH) {
    const chunk = rows
      .slice(s, s + BATCH)
      .map((r) => ({ input_ids: r.input_ids, token_type_ids: r.token_type_ids, attention_mask: r.attention_mask }));
    const b = padRows(chunk, { side: 'right', padId });
    const pooled = model.forward({
      batchSize: b.batchSize,
      length: b.length,
      input_ids: b.fields.input_ids as Int32Array,
      token_type_ids: b.fields.token_type_ids as Int32Array,
      attention_mask: b.fields.attention_mask as Uint8Array,
    }).pooled as Float32Array; // [B, C]
    for (let i = 0; i < b.batchSize; i++) {
      const logit = [0, 1].map((k) => {
        let z = bias[k];
        for (let c = 0; c < C; c++) z += pooled[i * C + c] * W[k * C + c];
        return z;
      });
      const row = rows[s + i];
      const label = (row.next_sentence_label ?? row.sentence_order_label) as number;
      ensure(label === 0 || label === 1, 'pair accuracy: a pair without a 0/1 label');
      if ((logit[1] > logit[0] ? 1 : 0) === label) correct++;
      positives += label;
    }
    progress(Math.min(s + BATCH, rows.length));
  }
  const rate = positives / rows.length;
  return {
    accuracy: correct / rows.length,
    pairs: rows.length,
    positiveRate: rate,
    majority: Math.max(rate, 1 - rate),
  };
}
