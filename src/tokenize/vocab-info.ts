// VocabInfo of a tokenizer: the special ids objectives need, found by family names.
// BERT [PAD] [UNK] [CLS] [SEP] [MASK]; RoBERTa <s> <pad> </s> <unk> <mask>; GPT <|endoftext|> (bos = eos = pad);
// T5 <pad> </s> <unk> and sentinels <extra_id_N> (special added tokens; <extra_id_0> is the top id).
import { type VocabInfo, normalizeVocab } from './vocab.js';

export const FAMILY_SPECIALS = {
  bert: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
  gpt: ['<|endoftext|>'],
  t5: ['<pad>', '</s>', '<unk>'],
} as const;

export interface VocabFacts {
  vocabSize: number;
  tokenToId(t: string): number | undefined;
  unkToken: string | null;
  /** Tokens the post-processor puts first / after the first sequence. */
  cls?: string;
  sep?: string;
  /** Ids of added tokens marked special. */
  specialAdded: number[];
}

const NAMES = {
  pad: ['[PAD]', '<pad>', '<|pad|>', '<|padding|>'],
  unk: ['[UNK]', '<unk>', '<|unk|>'],
  cls: ['[CLS]', '<cls>'],
  sep: ['[SEP]', '<sep>'],
  mask: ['[MASK]', '<mask>', '<|mask|>'],
  bos: ['<s>', '<|startoftext|>', '<|begin_of_text|>', '<|endoftext|>', '[BOS]', '<bos>'],
  eos: ['</s>', '<|endoftext|>', '<|end_of_text|>', '[EOS]', '<eos>'],
};

export function detectVocabInfo(f: VocabFacts): VocabInfo {
  const first = (names: readonly (string | null | undefined)[]): number | undefined => {
    for (const n of names) {
      if (n === null || n === undefined) continue;
      const id = f.tokenToId(n);
      if (id !== undefined && id < f.vocabSize) return id;
    }
    return undefined;
  };
  const unkId = first([f.unkToken, ...NAMES.unk]);
  const eosId = first(NAMES.eos);
  const padId = first(NAMES.pad) ?? eosId ?? unkId ?? 0;
  return normalizeVocab({
    vocabSize: f.vocabSize,
    padId,
    unkId,
    clsId: first([f.cls, ...NAMES.cls]),
    sepId: first([f.sep, ...NAMES.sep]),
    maskId: first(NAMES.mask),
    bosId: first(NAMES.bos),
    eosId,
    specialIds: f.specialAdded,
  });
}

/** Id of T5 sentinel i: <extra_id_i> when present, else vocabSize - 1 - i (the T5 convention). */
export function sentinelId(tokenToId: (t: string) => number | undefined, vocabSize: number, i: number): number {
  return tokenToId(`<extra_id_${i}>`) ?? vocabSize - 1 - i;
}
