// The tokenizer files HF transformers looks for beside tokenizer.json, derived from it: tokenizer_config.json and
// special_tokens_map.json for AutoTokenizer, and the slow tokenizers' vocabularies (vocab.txt for WordPiece,
// vocab.json + merges.txt for byte-level BPE). The fast tokenizer reads tokenizer.json itself.
import { PretextError } from '../errors.js';

interface AddedToken {
  id: number;
  content: string;
  single_word?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  normalized?: boolean;
  special?: boolean;
}

interface TokenizerJson {
  model: { type: string; vocab?: Record<string, number> | [string, number][]; merges?: (string | [string, string])[] };
  normalizer?: { type: string; lowercase?: boolean; normalizers?: { type: string; lowercase?: boolean }[] } | null;
  added_tokens?: AddedToken[];
}

const ROLES: [role: string, names: string[]][] = [
  ['bos_token', ['<s>', '[BOS]', '<bos>']],
  ['eos_token', ['</s>', '[EOS]', '<eos>']],
  ['unk_token', ['[UNK]', '<unk>']],
  ['sep_token', ['[SEP]']],
  ['pad_token', ['[PAD]', '<pad>']],
  ['cls_token', ['[CLS]']],
  ['mask_token', ['[MASK]', '<mask>']],
];

// The fast tokenizer class of an HF model_type, by the tokenizer's model: WordPiece, byte-level BPE.
const WORDPIECE_CLASS: Record<string, string> = { electra: 'ElectraTokenizerFast' };
const BPE_CLASS: Record<string, string> = {
  gpt2: 'GPT2TokenizerFast',
  bart: 'RobertaTokenizerFast',
  roberta: 'RobertaTokenizerFast',
  'roberta-prelayernorm': 'RobertaTokenizerFast',
};

/** The tokenizer class AutoTokenizer should build, from the tokenizer model and the model family. */
function tokenizerClass(t: TokenizerJson, modelType: string): string {
  if (t.model.type === 'WordPiece') return WORDPIECE_CLASS[modelType] ?? 'BertTokenizerFast';
  if (t.model.type === 'BPE' && BPE_CLASS[modelType]) return BPE_CLASS[modelType];
  return 'PreTrainedTokenizerFast'; // e.g. a byte-level BPE T5 tokenizer: T5Tokenizer's slow path needs spiece.model
}

function lowercases(t: TokenizerJson): boolean {
  const n = t.normalizer;
  if (!n) return false;
  if (n.type === 'BertNormalizer') return n.lowercase !== false;
  if (n.type === 'Lowercase') return true;
  return (n.normalizers ?? []).some(
    (m) => m.type === 'Lowercase' || (m.type === 'BertNormalizer' && m.lowercase !== false),
  );
}

/** tokenizer_config.json, special_tokens_map.json and the slow vocabulary files for a tokenizer.json. */
export function hfTokenizerFiles(
  tokenizerJson: object,
  modelType: string,
  modelMaxLength: number,
): Record<string, string> {
  const t = tokenizerJson as TokenizerJson;
  if (!t.model?.type) throw new PretextError('tokenizer.json has no model type');
  const added = t.added_tokens ?? [];
  const specials: Record<string, string> = {};
  for (const [role, names] of ROLES) {
    const hit = names.find((n) => added.some((a) => a.content === n));
    if (hit) specials[role] = hit;
  }
  if (added.some((a) => a.content === '<|endoftext|>')) {
    for (const role of ['bos_token', 'eos_token', 'unk_token']) specials[role] = '<|endoftext|>';
  }
  // the other special tokens (T5's sentinels <extra_id_N>), as save_pretrained lists them, in id order
  const roles = new Set(Object.values(specials));
  const extra = added
    .filter((a) => a.special && !roles.has(a.content))
    .sort((a, b) => a.id - b.id)
    .map((a) => a.content);
  const specialsMap: Record<string, string | string[]> =
    extra.length > 0 ? { ...specials, additional_special_tokens: extra } : specials;
  const decoder: Record<string, object> = {};
  for (const a of added)
    decoder[String(a.id)] = {
      content: a.content,
      lstrip: !!a.lstrip,
      normalized: !!a.normalized,
      rstrip: !!a.rstrip,
      single_word: !!a.single_word,
      special: !!a.special,
    };
  const cls = tokenizerClass(t, modelType);
  const config: Record<string, unknown> = {
    added_tokens_decoder: decoder,
    clean_up_tokenization_spaces: false,
    model_max_length: modelMaxLength,
    tokenizer_class: cls,
    ...specialsMap,
  };
  if (t.model.type === 'WordPiece') config.do_lower_case = lowercases(t);
  const files: Record<string, string> = {
    'tokenizer_config.json': JSON.stringify(config, null, 2) + '\n',
    'special_tokens_map.json': JSON.stringify(specialsMap, null, 2) + '\n',
  };
  const vocab = vocabEntries(t);
  if (t.model.type === 'WordPiece') files['vocab.txt'] = vocab.map(([tok]) => tok).join('\n') + '\n';
  if (t.model.type === 'BPE') {
    files['vocab.json'] = JSON.stringify(Object.fromEntries(vocab)) + '\n';
    const merges = (t.model.merges ?? []).map((m) => (typeof m === 'string' ? m : m.join(' ')));
    files['merges.txt'] = ['#version: 0.2', ...merges].join('\n') + '\n';
  }
  return files;
}

// The model's vocabulary, sorted by id; ids must run 0..n-1 without gaps for vocab.txt.
function vocabEntries(t: TokenizerJson): [string, number][] {
  const v = t.model.vocab;
  if (!v) return [];
  const entries: [string, number][] = Array.isArray(v) ? v.map(([tok], i) => [tok, i]) : Object.entries(v);
  entries.sort((a, b) => a[1] - b[1]);
  entries.forEach(([tok, id], i) => {
    if (id !== i && t.model.type === 'WordPiece')
      throw new PretextError(
        `tokenizer.json: WordPiece id ${id} of '${tok}' leaves a gap at ${i}; vocab.txt needs ids 0..n-1`,
      );
  });
  return entries;
}
