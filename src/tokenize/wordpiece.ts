// WordPiece model: greedy longest-match-first over the vocabulary, continuations prefixed '##'
// (google-research/bert tokenization.py; HF models/wordpiece). A word with any unmatched rest is one [UNK].
// e.g. vocab {un, ##aff, ##able}: "unaffable" -> [un, ##aff, ##able].
import { PretextError } from '../errors.js';
import { type Json, getInt, getStr } from './json-fields.js';
import type { Model } from './model.js';
import type { TokenRun } from './pre-tokenizers.js';
import { RunCache, singleRun } from './run-cache.js';
import { readVocab, reverseVocab } from './vocab-map.js';

export interface WordPieceOptions {
  unkToken: string;
  prefix: string;
  maxInputCharsPerWord: number;
}

export function wordPieceFromJSON(o: Json): Model {
  return new WordPiece(readVocab(o.vocab, 'WordPiece'), {
    unkToken: getStr(o, 'unk_token', 'WordPiece', '[UNK]'),
    prefix: getStr(o, 'continuing_subword_prefix', 'WordPiece', '##'),
    maxInputCharsPerWord: getInt(o, 'max_input_chars_per_word', 'WordPiece', 100),
  });
}

export class WordPiece implements Model {
  readonly type = 'WordPiece';
  readonly size: number;
  readonly maxId: number;
  readonly unkToken: string;
  private readonly byId: Map<number, string>;
  private readonly maxLen: number;
  private readonly cache = new RunCache();

  constructor(
    private readonly vocab: Map<string, number>,
    private readonly opts: WordPieceOptions,
  ) {
    const r = reverseVocab(vocab);
    this.byId = r.byId;
    this.maxId = r.maxId;
    this.size = vocab.size;
    this.unkToken = opts.unkToken;
    let maxLen = 0;
    for (const t of vocab.keys()) maxLen = Math.max(maxLen, t.length);
    this.maxLen = maxLen;
  }

  tokenToId(t: string): number | undefined {
    return this.vocab.get(t);
  }

  idToToken(id: number): string | undefined {
    return this.byId.get(id);
  }

  tokenize(word: string): TokenRun {
    let run = this.cache.get(word);
    if (run === undefined) {
      run = this.split(word);
      this.cache.set(word, run);
    }
    return run;
  }

  private unk(word: string): TokenRun {
    const id = this.vocab.get(this.unkToken);
    if (id === undefined)
      throw new PretextError(`WordPiece: unk token ${JSON.stringify(this.unkToken)} is missing from the vocabulary`);
    return singleRun(id, this.unkToken, 0, word.length);
  }

  private split(word: string): TokenRun {
    const { prefix, maxInputCharsPerWord } = this.opts;
    if (word.length > maxInputCharsPerWord && [...word].length > maxInputCharsPerWord) return this.unk(word);
    const run: TokenRun = { ids: [], tokens: [], starts: [], ends: [] };
    let start = 0;
    while (start < word.length) {
      let end = Math.min(word.length, start + this.maxLen);
      let found: number | undefined;
      let token = '';
      while (end > start) {
        if (!splitsPair(word, end)) {
          token = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
          found = this.vocab.get(token);
          if (found !== undefined) break;
        }
        end--;
      }
      if (found === undefined) return this.unk(word);
      run.ids.push(found);
      run.tokens.push(token);
      run.starts.push(start);
      run.ends.push(end);
      start = end;
    }
    return run;
  }
}

/** True when index i falls inside a surrogate pair of s. */
function splitsPair(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c < 0xe000 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) < 0xdc00;
}
