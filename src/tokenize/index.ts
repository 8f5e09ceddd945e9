// Public API of the tokenize module: load HF tokenizer.json files, train WordPiece and byte-level BPE.
export { loadTokenizer, type Tokenizer, type Encoding, type EncodeOptions, type DecodeOptions } from './tokenizer.js';
export { FAMILY_SPECIALS, sentinelId } from './vocab-info.js';
export { trainWordPiece, trainByteLevelBpe, type WordPieceTrainOptions, type ByteLevelBpeTrainOptions } from './train.js';
