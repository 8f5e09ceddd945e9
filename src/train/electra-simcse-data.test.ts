import { describe, expect, it } from 'vitest';
import { resolveConfig, presetLayer } from '../config/index.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { PretextError } from '../errors.js';
import { createElectraPretraining, electraDiscriminatorConfig, RtdTally } from './electra-family.js';
import { adjacentPairs, parseTriples, sentenceRows } from './simcse-data.js';
import type { TokenizedCorpus } from './tokens.js';

const vocab = { vocabSize: 50, padId: 0, unkId: 1, clsId: 2, sepId: 3, maskId: 4, specialIds: [0, 1, 2, 3, 4] };

describe('ELECTRA for a run', () => {
  it('tiny preset: discriminator C 128 with embedding_size 64, generator C 32 with one head', () => {
    const d = electraDiscriminatorConfig(resolveConfig(presetLayer('tiny')), vocab);
    expect([d.hidden_size, d.embedding_size, d.vocab_size, d.architectures[0]]).toEqual([128, 64, 50, 'ElectraForPreTraining']);
    const m = createElectraPretraining({ ...d, num_hidden_layers: 1 }, createReferenceEngine(), 0);
    expect([m.generatorConfig.hidden_size, m.generatorConfig.num_attention_heads, m.generatorConfig.intermediate_size]).toEqual([32, 1, 128]);
  });

  it('RtdTally: generator accuracy over draws, discriminator accuracy and AUC over real tokens', () => {
    const t = new RtdTally();
    t.add({ loss: 1, lmLoss: 1, count: 4, lmCorrect: 1, rtd: { loss: 0.5, logits: Float32Array.of(2, -1, 0.5), labels: Uint8Array.of(1, 0, 0) } });
    t.add({ loss: 1, lmLoss: 1, count: 4, lmCorrect: 3, rtd: { loss: 0.2, logits: Float32Array.of(-2), labels: Uint8Array.of(0) } });
    const f = t.figures();
    expect(f.gen_accuracy).toBe(0.5);
    expect(f.disc_accuracy).toBe(0.75);
    expect(f.rtd_auc).toBe(1);
    expect(f.replaced).toBe(0.25);
    expect(f.disc_loss).toBeCloseTo((0.5 * 3 + 0.2) / 4, 12);
  });
});

describe('SimCSE data', () => {
  const corpus: TokenizedCorpus = { ids: Int32Array.of(10, 11, 12, 13, 14, 15, 16, 17, 18), segments: Int32Array.of(0, 2, 3, 6, 9), documents: Int32Array.of(0, 2, 4) };

  it('a row per sentence, [CLS] .. [SEP] cut to maxLen; adjacent pairs within documents', () => {
    expect(sentenceRows(corpus, 2, 3, 4).map((r) => Array.from(r.input_ids))).toEqual([[2, 10, 11, 3], [2, 12, 3], [2, 13, 14, 3], [2, 16, 17, 3]]);
    expect(adjacentPairs(corpus, 2, 3, 8, 10).map((p) => [Array.from(p.x), Array.from(p.y)])).toEqual([
      [[2, 10, 11, 3], [2, 12, 3]],
      [[2, 13, 14, 15, 3], [2, 16, 17, 18, 3]],
    ]);
  });

  it('JSONL triples: anchor/positive/negative or sent0/sent1/hard_neg; bad lines name the line', () => {
    const t = parseTriples('{"anchor":"a","positive":"b","negative":"c"}\n\n{"sent0":"x","sent1":"y","hard_neg":"z"}\n', 'p.jsonl');
    expect(t).toEqual([{ anchor: 'a', positive: 'b', negative: 'c' }, { anchor: 'x', positive: 'y', negative: 'z' }]);
    expect(() => parseTriples('{"anchor":"a","positive":"b"}', 'p.jsonl')).toThrow('p.jsonl line 1: "negative" (or "hard_neg") must be a non-empty string');
    expect(() => parseTriples('x\n', 'p.jsonl')).toThrow(PretextError);
    expect(() => parseTriples('\n', 'p.jsonl')).toThrow('p.jsonl: no triples');
  });
});
