// Tokenizers with a model family's special tokens, trained from texts:
// bert = WordPiece [PAD] [UNK] [CLS] [SEP] [MASK]; gpt2 = byte-level BPE <|endoftext|>;
// t5 = byte-level BPE or, with type 'unigram', a SentencePiece-style Unigram model as T5's own, <pad> </s> <unk> + 100
// sentinels <extra_id_0..99> at the top (<extra_id_0> = V - 1); bart = byte-level BPE <s> <pad> </s> <unk> + <mask> at the top (RoBERTa's layout).
import { ensure } from '../errors.js';
import { loadTokenizer, type Tokenizer } from './tokenizer.js';
import { trainByteLevelBpe, trainWordPiece } from './train.js';
import { trainUnigram } from './train-unigram.js';

export type TokenizerFamily = 'bert' | 'gpt2' | 't5' | 'bart';

export interface FamilyTrainOptions {
  family: TokenizerFamily;
  type?: 'wordpiece' | 'bpe' | 'unigram';
  /** total size, special tokens and sentinels included */
  vocabSize: number;
  minFrequency?: number;
  lowercase?: boolean;
}

const T5_SENTINELS = 100;

const added = (id: number, content: string): object => ({
  id,
  content,
  single_word: false,
  lstrip: content === '<mask>',
  rstrip: false,
  normalized: false,
  special: true,
});

/** Append special tokens after the trained vocabulary (ids vocabSize, vocabSize + 1, ...). */
function appendSpecials(tok: Tokenizer, contents: string[], postProcessor?: object): Tokenizer {
  const json = tok.toJSON() as { added_tokens: object[]; post_processor: object | null };
  const base = tok.vocabSize;
  json.added_tokens = [...json.added_tokens, ...contents.map((c, i) => added(base + i, c))];
  if (postProcessor) json.post_processor = postProcessor;
  return loadTokenizer(json);
}

export function trainFamilyTokenizer(texts: Iterable<string>, o: FamilyTrainOptions): Tokenizer {
  const type = o.type ?? (o.family === 'bert' ? 'wordpiece' : 'bpe');
  ensure(o.family !== 'bert' || type === 'wordpiece', 'the bert family trains a wordpiece tokenizer');
  ensure(
    o.family === 'bert' || type === 'bpe' || (o.family === 't5' && type === 'unigram'),
    `the ${o.family} family trains a byte-level bpe tokenizer${o.family === 't5' ? ' or a unigram one' : ''}`,
  );
  const common = { minFrequency: o.minFrequency };
  switch (o.family) {
    case 'bert':
      return trainWordPiece(texts, { vocabSize: o.vocabSize, lowercase: o.lowercase, ...common });
    case 'gpt2':
      return trainByteLevelBpe(texts, { vocabSize: o.vocabSize, ...common });
    case 't5': {
      ensure(
        o.vocabSize > T5_SENTINELS + 259,
        `the t5 family needs a vocabulary above ${T5_SENTINELS + 259} (bytes, specials, sentinels)`,
      );
      const base = { vocabSize: o.vocabSize - T5_SENTINELS, specialTokens: ['<pad>', '</s>', '<unk>'] };
      const tok = type === 'unigram' ? trainUnigram(texts, base) : trainByteLevelBpe(texts, { ...base, ...common });
      const sentinels = Array.from({ length: T5_SENTINELS }, (_, i) => `<extra_id_${T5_SENTINELS - 1 - i}>`);
      const eos = { SpecialToken: { id: '</s>', type_id: 0 } };
      return appendSpecials(tok, sentinels, {
        type: 'TemplateProcessing',
        single: [{ Sequence: { id: 'A', type_id: 0 } }, eos],
        pair: [{ Sequence: { id: 'A', type_id: 0 } }, eos, { Sequence: { id: 'B', type_id: 0 } }, eos],
        special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
      });
    }
    case 'bart': {
      const tok = trainByteLevelBpe(texts, {
        vocabSize: o.vocabSize - 1,
        specialTokens: ['<s>', '<pad>', '</s>', '<unk>'],
        ...common,
      });
      return appendSpecials(tok, ['<mask>'], {
        type: 'RobertaProcessing',
        sep: ['</s>', 2],
        cls: ['<s>', 0],
        trim_offsets: true,
        add_prefix_space: false,
      });
    }
  }
}
