// Train new vocabularies from strings: BERT-style WordPiece and GPT-2-style byte-level BPE. Each returns a
// Tokenizer over a tokenizer.json that HF `tokenizers` loads and encodes identically.
import { ensure } from '../errors.js';
import { byteAlphabet } from './byte-level.js';
import { FAMILY_SPECIALS } from './vocab-info.js';
import { NormalizedString } from './normalized-string.js';
import { normalizerFromJSON } from './normalizers.js';
import { preTokenizerFromJSON } from './pre-tokenizers.js';
import { trainBpe } from './train-bpe.js';
import { type Tokenizer, loadTokenizer } from './tokenizer.js';

export interface WordPieceTrainOptions {
  /** Target size including the 5 specials (the alphabet is always kept, so it may end larger). */
  vocabSize: number;
  /** Pairs seen fewer times are not merged; default 2 (HF BertWordPieceTokenizer). */
  minFrequency?: number;
  /** Lowercase and strip accents (bert-base-uncased); default true. */
  lowercase?: boolean;
  /** Keep the most frequent chars only; default 1000 (HF BertWordPieceTokenizer). */
  limitAlphabet?: number;
}

export interface ByteLevelBpeTrainOptions {
  /** Target size including specials and the 256 byte chars. */
  vocabSize: number;
  /** Default 2 (HF ByteLevelBPETokenizer). */
  minFrequency?: number;
  /** Specials at ids 0.. (HF trainer order); default ['<|endoftext|>']. */
  specialTokens?: readonly string[];
}

/** word -> count over texts, after the normalizer and pre-tokenizer described by the JSON configs. */
export function countWords(
  texts: Iterable<string>,
  normalizer: object | null,
  preTokenizer: object,
): Map<string, number> {
  const norm = normalizer ? normalizerFromJSON(normalizer) : null;
  const pre = preTokenizerFromJSON(preTokenizer);
  const counts = new Map<string, number>();
  for (const text of texts) {
    const ns = NormalizedString.from(text);
    norm?.normalize(ns);
    for (const { ns: w } of pre.preTokenize([{ ns, run: null }])) counts.set(w.text, (counts.get(w.text) ?? 0) + 1);
  }
  return counts;
}

function checkSize(vocabSize: number, minFrequency: number): void {
  ensure(Number.isInteger(vocabSize) && vocabSize > 0, `vocabSize must be a positive integer, got ${vocabSize}`);
  ensure(
    Number.isInteger(minFrequency) && minFrequency >= 0,
    `minFrequency must be a non-negative integer, got ${minFrequency}`,
  );
}

const special = (id: number, content: string): object => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/**
 * BERT WordPiece: BertNormalizer + BertPreTokenizer, BPE training with '##' continuations, then the BPE vocab
 * read as WordPiece (HF WordPieceTrainer). [PAD] [UNK] [CLS] [SEP] [MASK] are ids 0..4.
 */
export function trainWordPiece(texts: Iterable<string>, opts: WordPieceTrainOptions): Tokenizer {
  const { vocabSize, minFrequency = 2, lowercase = true, limitAlphabet = 1000 } = opts;
  checkSize(vocabSize, minFrequency);
  const normalizer = {
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase,
  };
  const preTokenizer = { type: 'BertPreTokenizer' };
  const specials = FAMILY_SPECIALS.bert;
  const { vocab } = trainBpe(countWords(texts, normalizer, preTokenizer), {
    vocabSize,
    minFrequency,
    specialTokens: specials,
    limitAlphabet,
    continuingSubwordPrefix: '##',
  });
  const id = (t: string): number => vocab.indexOf(t);
  const tok = (t: string, typeId: number): object => ({ SpecialToken: { id: t, type_id: typeId } });
  const seq = (s: 'A' | 'B', typeId: number): object => ({ Sequence: { id: s, type_id: typeId } });
  return loadTokenizer({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((s, i) => special(i, s)),
    normalizer,
    pre_tokenizer: preTokenizer,
    post_processor: {
      type: 'TemplateProcessing',
      single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
      pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  });
}

/**
 * GPT-2 byte-level BPE: ByteLevel pre-tokenizer (GPT-2 regex, no prefix space), all 256 byte chars in the
 * initial alphabet, specials first (<|endoftext|> is id 0).
 */
export function trainByteLevelBpe(texts: Iterable<string>, opts: ByteLevelBpeTrainOptions): Tokenizer {
  const { vocabSize, minFrequency = 2, specialTokens = FAMILY_SPECIALS.gpt } = opts;
  checkSize(vocabSize, minFrequency);
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const { vocab, merges } = trainBpe(countWords(texts, null, byteLevel), {
    vocabSize,
    minFrequency,
    specialTokens,
    initialAlphabet: byteAlphabet(),
  });
  return loadTokenizer({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((s, i) => special(i, s)),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
      merges,
    },
  });
}
