// Public API of the tokenize module.
//   loadTokenizer(json)            HF tokenizer.json (WordPiece, BPE incl. byte-level, Unigram, WordLevel) -> Tokenizer
//   trainWordPiece(texts, opts)    BERT-style WordPiece, [PAD] [UNK] [CLS] [SEP] [MASK] = 0..4
//   trainByteLevelBpe(texts, opts) GPT-2-style byte-level BPE, <|endoftext|> = 0 (or the given specials)
//   tok.encode(a, b?) -> ids, tokens, offsets (UTF-16), wordIds, typeIds, specialTokensMask; tok.decode(ids)
//   tok.vocabInfo() -> VocabInfo for the objectives; tok.toJSON() -> tokenizer.json that HF loads identically
export { loadTokenizer, type Tokenizer, type Encoding, type EncodeOptions, type DecodeOptions } from './tokenizer.js';
export {
  trainWordPiece,
  trainByteLevelBpe,
  type WordPieceTrainOptions,
  type ByteLevelBpeTrainOptions,
} from './train.js';
export { FAMILY_SPECIALS, sentinelId } from './vocab-info.js';
export { maskingWordIds, wordRuleOf, isSentencePieceStart, type WordRule } from './masking-words.js';
