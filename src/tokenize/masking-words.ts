// Word ids for whole-word and span masking, by the reference rule of the tokenizer's family (issue 7):
//   wordpiece      a token not starting with '##' starts a word (google-research/bert create_pretraining_data)
//   byte-level     a token starting with 'Ġ' starts a word (fairseq get_whole_word_mask; HF's 2025 collator agrees:
//                  with trimmed offsets a token starts a word exactly when it follows whitespace)
//   sentencepiece  a piece starting with '▁' or '<', a punctuation piece, or one with a non-English char
//                  (google-research/albert _is_start_piece_sp)
//   pre-tokenizer  the tokenizer's own words (HF word_ids): "dog's" and "end." are two words each with GPT-2
// In every rule specials are -1 and the first token, the token after a special and the first of segment B start a
// word, so no word crosses [SEP].
// Example (gpt2): "The dog's end." -> The Ġdog 's Ġend . -> word ids 0 1 1 2 2 (pre-tokenizer: 0 1 2 3 4).
import type { Encoding, Tokenizer } from './tokenizer.js';

export type WordRule = 'wordpiece' | 'byte-level' | 'sentencepiece' | 'pre-tokenizer';

interface RuleInfo {
  rule: WordRule;
  prefix: string;
  special: Set<number>;
}

const cache = new WeakMap<Tokenizer, RuleInfo>();

function typesIn(cfg: unknown): string[] {
  if (!cfg || typeof cfg !== 'object') return [];
  const o = cfg as Record<string, unknown>;
  const inner = (o.pretokenizers ?? o.normalizers ?? []) as unknown[];
  return [String(o.type), ...(Array.isArray(inner) ? inner.flatMap(typesIn) : [])];
}

function ruleInfo(tok: Tokenizer): RuleInfo {
  let info = cache.get(tok);
  if (!info) {
    const json = tok.toJSON() as {
      model?: { type?: string; continuing_subword_prefix?: string | null };
      pre_tokenizer?: unknown;
    };
    const pre = typesIn(json.pre_tokenizer);
    const type = json.model?.type;
    const rule: WordRule =
      type === 'WordPiece'
        ? 'wordpiece'
        : pre.includes('ByteLevel')
          ? 'byte-level'
          : type === 'Unigram' || pre.includes('Metaspace')
            ? 'sentencepiece'
            : 'pre-tokenizer';
    info = {
      rule,
      prefix: json.model?.continuing_subword_prefix ?? '##',
      special: new Set(tok.vocabInfo().specialIds),
    };
    cache.set(tok, info);
  }
  return info;
}

/** The reference rule for a tokenizer: from its model and pre-tokenizer. */
export function wordRuleOf(tok: Tokenizer): WordRule {
  return ruleInfo(tok).rule;
}

const ALBERT_PUNCT = new Set([...'!"#$%&\'()*+,-./:;?@[\\]^_`{|}~', '€', '£']);
const ENGLISH = /^[a-z]$/;

/** ALBERT's _is_start_piece_sp. */
export function isSentencePieceStart(piece: string): boolean {
  if (piece.startsWith('\u2581') || piece.startsWith('<') || ALBERT_PUNCT.has(piece)) return true;
  for (const c of piece) if (!ENGLISH.test(c.toLowerCase()) && !ALBERT_PUNCT.has(c)) return true;
  return false;
}

/** [L] word ids of an encoding for masking: -1 at specials, words numbered from 0 by `rule`. */
export function maskingWordIds(tok: Tokenizer, enc: Encoding, rule: WordRule = wordRuleOf(tok)): Int32Array {
  const { prefix, special } = ruleInfo(tok);
  const L = enc.ids.length;
  const out = new Int32Array(L);
  let word = -1;
  for (let i = 0; i < L; i++) {
    if (enc.specialTokensMask[i] || special.has(enc.ids[i])) {
      out[i] = -1;
      continue;
    }
    const t = enc.tokens[i];
    const after = i === 0 || out[i - 1] < 0 || enc.typeIds[i] !== enc.typeIds[i - 1];
    const starts =
      after ||
      (rule === 'wordpiece'
        ? !t.startsWith(prefix)
        : rule === 'byte-level'
          ? t.startsWith('\u0120')
          : rule === 'sentencepiece'
            ? isSentencePieceStart(t)
            : enc.wordIds[i] !== enc.wordIds[i - 1]);
    if (starts) word++;
    out[i] = word;
  }
  return out;
}
