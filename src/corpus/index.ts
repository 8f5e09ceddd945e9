// Corpus sources -> Document streams (pure: no file access; cli/io/corpus-files.ts opens files by spec).
export { collectDocuments, nonEmpty } from './document.js';
export type { Document, Source } from './document.js';
export { brownWords, detokenize, parseBrownCategories, parseBrownFile, stripTag } from './brown.js';
export { documentsFromJsonl } from './jsonl.js';
export type { JsonlOptions } from './jsonl.js';
export { linesFromChunks } from './lines.js';
export { documentsFromParquet } from './parquet.js';
export type { ParquetOptions } from './parquet.js';
export { documentsFromLines } from './plain-text.js';
export type { TextOptions } from './plain-text.js';
export { sentencesOfText, splitSentences } from './sentence-splitter.js';
export { documentsOfSplit, splitOf } from './split.js';
export type { Split, SplitOptions } from './split.js';
