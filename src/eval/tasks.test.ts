// The eval tasks on tiny models: probes reach 1.0 on hand-made separable items, pair accuracy on a BertForPreTraining
// trained here for a few steps, and the registry refuses models without the head.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padRows } from '../batch/pad.js';
import type { Document } from '../corpus/document.js';
import { splitOf } from '../corpus/split.js';
import { bertConfig, createModel, electraConfig, gpt2Config, t5Config, type Model } from '../model/index.js';
import { nspObjective } from '../objectives/nsp/index.js';
import { sopObjective } from '../objectives/sop/index.js';
import { brownSlice, sliceTokenizer, testEngine } from '../train/fixtures.case.js';
import type { Tokenizer } from '../tokenize/index.js';
import { adjacentSentencePairs } from './held-out.js';
import { pairAccuracy } from './pair-accuracy.js';
import { runProbe, type ProbeItems } from './probe.js';
import { checkTaskApplies, evalTask, evalTasks, modelHeads } from './tasks.js';

const small = {
  vocab_size: 600,
  hidden_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 64,
  max_position_embeddings: 64,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
};
let docs: Document[];
let tok: Tokenizer;
let bert: Model;
beforeAll(async () => {
  docs = await brownSlice(40);
  tok = sliceTokenizer('bert', docs);
  bert = createModel(bertConfig({ ...small, architectures: ['BertForPreTraining'] }), await testEngine(), { seed: 3 });
});
afterAll(() => bert?.engine.dispose());

// Two classes: rows of one repeated token each (10 or 300, lengths 6..10), texts of disjoint words. Groups of 2 items.
function separable(n: number): ProbeItems {
  const items: ProbeItems = { texts: [], rows: [], labels: [], groups: [], classNames: ['low', 'high'] };
  for (let i = 0; i < n; i++) {
    const y = i % 2;
    const ids = new Array(6 + (i % 5)).fill(y === 0 ? 10 : 300);
    items.rows.push(Int32Array.from([2, ...ids, 3]));
    items.texts.push(y === 0 ? `apple pear plum ${i}` : `stone rock sand ${i}`);
    items.labels.push(y);
    items.groups.push(`g${Math.floor(i / 2)}`);
  }
  return items;
}

describe('probes', () => {
  it('separable items: probe and bag of words reach accuracy 1.0; majority is 1/2', () => {
    for (const pooling of ['mean', 'cls'] as const) {
      const r = runProbe(bert, separable(120), { pooling, seed: 1, testFraction: 0.25 }, 0);
      expect(r.probe.accuracy).toBe(1);
      expect(r.baselines.bagOfWords.accuracy).toBe(1);
      expect(r.baselines.majority.accuracy).toBe(0.5);
      expect(r.split).toMatchObject({ trainItems: 90, testItems: 30, trainGroups: 45, testGroups: 15 });
    }
  });

  it('an external baseline is scored on the test side only; the same seed gives the same figures', () => {
    const items = separable(60);
    const flip = { name: 'flip', note: 'predicts the wrong class', predicted: items.labels.map((y) => 1 - y) };
    const r = runProbe(bert, items, { pooling: 'mean', seed: 2, testFraction: 0.3, C: 1 }, 0, [flip]);
    expect(r.baselines.flip).toEqual({ accuracy: 0, macroF1: 0, note: 'predicts the wrong class' });
    expect(r.probe.C).toBe(1);
    expect(runProbe(bert, items, { pooling: 'mean', seed: 2, testFraction: 0.3, C: 1 }, 0, [flip])).toEqual(r);
  });

  it('the bag-of-words baseline is kept per content: other texts or labels get their own figures', () => {
    const s = { pooling: 'mean' as const, seed: 2, testFraction: 0.3, C: 1 };
    const items = separable(60);
    const first = runProbe(bert, items, s, 0).baselines.bagOfWords;
    const sameWords = { ...items, texts: items.texts.map((_, i) => `pear stone ${i}`) };
    expect(runProbe(bert, sameWords, s, 0).baselines.bagOfWords.accuracy).toBeLessThan(0.8);
    const flipped = { ...items, labels: items.labels.map((y, i) => (i < 30 ? 1 - y : y)) };
    expect(runProbe(bert, flipped, s, 0).baselines.bagOfWords.accuracy).toBeLessThan(0.8);
    expect(runProbe(bert, items, s, 0).baselines.bagOfWords).toEqual(first);
    expect(first.accuracy).toBe(1);
  });
});

describe('pair accuracy', () => {
  it('a few NSP steps, then held-out pairs and the same-genre control', () => {
    const train = docs.filter((d) => splitOf(d.id, { seed: 0, validationFraction: 0.3 }) === 'train');
    const heldOut = docs.filter((d) => splitOf(d.id, { seed: 0, validationFraction: 0.3 }) === 'validation');
    const examples = train.map((d) => ({
      id: d.id,
      sentences: d.sentences.map((s) => tok.encode(s, undefined, { addSpecialTokens: false }).ids),
    }));
    const rows = [
      ...nspObjective.transform(examples, nspObjective.resolve({ maxSeqLen: 64 }), {
        seed: 0,
        epoch: 0,
        vocab: tok.vocabInfo(),
      }),
    ];
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) {
      const b = padRows(rows.slice(step * 8, step * 8 + 8), { side: 'right', padId: 0 });
      const f = b.fields;
      bert.zeroGrad();
      const out = bert.forward({
        batchSize: b.batchSize,
        length: b.length,
        input_ids: f.input_ids as Int32Array,
        token_type_ids: f.token_type_ids as Int32Array,
        attention_mask: f.attention_mask as Uint8Array,
        labels: f.labels as Int32Array,
        next_sentence_label: f.next_sentence_label as Int32Array,
      });
      losses.push(out.loss as number);
      bert.backward();
      for (const p of bert.parameters()) for (let i = 0; i < p.data.length; i++) p.data[i] -= 0.05 * p.grad[i];
    }
    expect(losses[7]).toBeLessThan(losses[0]);
    const r = pairAccuracy(bert, tok, heldOut, { objective: nspObjective, seed: 0, maxSeqLen: 64, maxPairs: 200 });
    expect(r.heldOut.pairs).toBeGreaterThan(30);
    expect(r.heldOut.positiveRate).toBeGreaterThan(0.2);
    expect(r.heldOut.majority).toBe(Math.max(r.heldOut.positiveRate, 1 - r.heldOut.positiveRate));
    expect(r.sameGenre?.genres).toBeGreaterThanOrEqual(1);
    expect(r.sameGenre?.pairs).toBeGreaterThan(10);
    // a head forced to answer IsNext (0) scores exactly the share of label 0
    const bias = bert.parameters().find((p) => p.name === 'cls.seq_relationship.bias')!.data;
    const saved = bias.slice();
    bias.set([100, -100]);
    const forced = pairAccuracy(bert, tok, heldOut, { objective: sopObjective, seed: 0, maxSeqLen: 64, maxPairs: 200 });
    bias.set(saved);
    expect(forced.heldOut.accuracy).toBeCloseTo(1 - forced.heldOut.positiveRate, 12);
    expect(forced.sameGenre).toBeUndefined();
  });
});

describe('sentence-pairs (SimCSE)', () => {
  it('adjacent held-out sentences, spread over the documents; alignment, uniformity, retrieval of a BertModel', async () => {
    const few = docs.slice(0, 4);
    const pairs = adjacentSentencePairs(few, tok, 30, 12);
    expect(pairs).toHaveLength(12);
    const ids = (d: number, i: number) =>
      Array.from(tok.encode(few[d].sentences[i], undefined, { addSpecialTokens: false }).ids.slice(0, 30));
    expect(pairs.slice(0, 3).map((p) => [Array.from(p.x), Array.from(p.y)])).toEqual(
      [0, 1, 2].map((i) => [ids(0, i), ids(0, i + 1)]),
    );
    expect(Array.from(pairs[3].x)).toEqual(ids(1, 0)); // 3 per document
    const simcse = createModel(bertConfig({ ...small, architectures: ['BertModel'] }), bert.engine, { seed: 1 });
    const settings = {
      seed: 0,
      testFraction: 0.2,
      chunkTokens: 30,
      chunksPerDoc: 1,
      maxTokens: 100,
      maskProb: 0.15,
      pairObjective: 'nsp',
      maxSeqLen: 64,
      maxPairs: 40,
    };
    const r = evalTask('sentence-pairs').run(simcse, tok, { documents: docs.slice(30) }, settings) as {
      pairs: number;
      alignment: number;
      uniformity: number;
      retrieval: number;
    };
    expect(r.pairs).toBe(40);
    expect(r.alignment).toBeGreaterThanOrEqual(0);
    expect(r.alignment).toBeLessThanOrEqual(4); // unit vectors: ||x - y||^2 <= 4
    expect(r.uniformity).toBeLessThanOrEqual(0);
    expect(r.retrieval).toBeGreaterThanOrEqual(0);
    expect(() => checkTaskApplies(evalTask('sentence-pairs'), bert.config)).not.toThrow(); // any encoder, mean-pooled: SimCSE's baseline
    expect(() => checkTaskApplies(evalTask('sentence-pairs'), gpt2Config())).not.toThrow();
  });
});

describe('task registry', () => {
  it('each task states its heads; models without them are refused in one line', () => {
    expect(modelHeads(bertConfig(small))).toEqual(['encoder', 'mlm']);
    expect(modelHeads(gpt2Config({ n_layer: 1 }))).toEqual(['encoder', 'lm']);
    expect(modelHeads(bertConfig({ ...small, architectures: ['BertModel'] }))).toEqual(['encoder', 'contrastive']);
    expect(modelHeads(electraConfig())).toEqual(['encoder', 'rtd']);
    expect(modelHeads(t5Config())).toEqual(['encoder', 'seq2seq']);
    expect(() => checkTaskApplies(evalTask('probe-genre'), t5Config())).not.toThrow(); // T5's encoder, pooled
    expect(() => checkTaskApplies(evalTask('span-accuracy'), bertConfig(small))).toThrow(
      'span-accuracy needs a model with the seq2seq head; this run is a BertForMaskedLM (heads: encoder, mlm)',
    );
    expect(() => checkTaskApplies(evalTask('rtd'), t5Config())).toThrow('rtd needs a model with the rtd head');
    expect(() => checkTaskApplies(evalTask('probe-genre'), electraConfig())).not.toThrow();
    for (const t of evalTasks) expect(t.heads.length).toBeGreaterThan(0);
    expect(() => checkTaskApplies(evalTask('perplexity'), bertConfig(small))).toThrow(
      'perplexity needs a model with the lm head; this run is a BertForMaskedLM (heads: encoder, mlm)',
    );
    expect(() => checkTaskApplies(evalTask('pair'), gpt2Config())).toThrow('pair needs a model with the pair head');
    expect(() => checkTaskApplies(evalTask('pair'), bert.config)).not.toThrow();
    expect(() => evalTask('bleu')).toThrow("unknown eval task 'bleu'");
  });
});
