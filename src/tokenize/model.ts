// The Model interface (a word -> tokens) and the tokenizer.json "model" factory.
import { PretextError } from '../errors.js';
import { type Json, asObject, getStr } from './json-fields.js';
import { readVocab, reverseVocab } from './vocab-map.js';
import { singleRun } from './run-cache.js';
import type { TokenRun } from './pre-tokenizers.js';
import { wordPieceFromJSON } from './wordpiece.js';
import { bpeFromJSON } from './bpe.js';
import { unigramFromJSON } from './unigram.js';

export interface Model {
  readonly type: 'WordPiece' | 'BPE' | 'Unigram' | 'WordLevel';
  /** Tokens of one pre-tokenized word; offsets are UTF-16 units of `word`. The result is shared: do not mutate. */
  tokenize(word: string): TokenRun;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** Number of entries (HF get_vocab_size without added tokens). */
  readonly size: number;
  /** Largest id, -1 when empty. */
  readonly maxId: number;
  /** The unknown token, when the model has one. */
  readonly unkToken: string | null;
}

export function modelFromJSON(cfg: unknown): Model {
  const o = asObject(cfg, 'model');
  const type = o.type ?? inferType(o);
  switch (type) {
    case 'WordPiece':
      return wordPieceFromJSON(o);
    case 'BPE':
      return bpeFromJSON(o);
    case 'Unigram':
      return unigramFromJSON(o);
    case 'WordLevel':
      return wordLevelFromJSON(o);
    default:
      throw new PretextError(
        `unsupported model type ${JSON.stringify(type)} (expected WordPiece, BPE, Unigram or WordLevel)`,
      );
  }
}

/** Old files omit model.type: HF guesses from the fields. */
function inferType(o: Json): string | undefined {
  if ('merges' in o) return 'BPE';
  if (Array.isArray(o.vocab)) return 'Unigram';
  if ('continuing_subword_prefix' in o || 'max_input_chars_per_word' in o) return 'WordPiece';
  if ('vocab' in o) return 'WordLevel';
  return undefined;
}

function wordLevelFromJSON(o: Json): Model {
  const vocab = readVocab(o.vocab, 'WordLevel');
  const unk = getStr(o, 'unk_token', 'WordLevel', '<unk>');
  const { byId, maxId } = reverseVocab(vocab);
  return {
    type: 'WordLevel',
    size: vocab.size,
    maxId,
    unkToken: unk,
    tokenize(word) {
      const id = vocab.get(word) ?? vocab.get(unk);
      if (id === undefined)
        throw new PretextError(`WordLevel: unknown word and unk token ${JSON.stringify(unk)} is not in the vocabulary`);
      return singleRun(id, vocab.has(word) ? word : unk, 0, word.length);
    },
    tokenToId: (t) => vocab.get(t),
    idToToken: (id) => byId.get(id),
  };
}
