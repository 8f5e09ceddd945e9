// Our loader against HF `tokenizers` on real tokenizer.json files (trained by HF on Brown, see
// tools/make-tokenizer-fixtures.mjs) and on variants covering every supported component.
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from './tokenizer.js';
import { hfDifferences, readFixture } from './parity.case.js';

type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFixture(name));

async function expectParity(json: Json | string): Promise<void> {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  expect(await hfDifferences(loadTokenizer(text), text)).toEqual([]);
}

const added = (id: number, content: string, o: Json = {}): Json => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: true,
  special: false,
  ...o,
});

describe('HF parity on the fixtures', () => {
  for (const name of [
    'bert-wordpiece.json',
    'bert-cased-wordpiece.json',
    'gpt2-bpe.json',
    'roberta-bpe.json',
    't5-unigram.json',
  ]) {
    it(name, () => expectParity(readFixture(name)));
  }
});

describe('HF parity on WordPiece variants', () => {
  const bert = (edit: (j: Json) => void): Json => {
    const j = fixture('bert-wordpiece.json');
    edit(j);
    return j;
  };
  const cases: [string, (j: Json) => void][] = [
    [
      'added tokens: single_word, lstrip/rstrip, normalized and raw',
      (j) => {
        j.added_tokens.push(
          added(1000, 'hello', { single_word: true }),
          added(1001, '[NEW]', { lstrip: true, rstrip: true, normalized: false, special: true }),
          added(1002, 'World', { normalized: false, rstrip: true }),
          added(1003, 'smith'),
        );
      },
    ],
    [
      'NFD + StripAccents + Lowercase',
      (j) => {
        j.normalizer = {
          type: 'Sequence',
          normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' }],
        };
      },
    ],
    [
      'NFKC, NFC, NFKD',
      (j) => {
        j.normalizer = {
          type: 'Sequence',
          normalizers: [{ type: 'NFKC' }, { type: 'NFKD' }, { type: 'NFC' }, { type: 'Lowercase' }],
        };
      },
    ],
    [
      'Strip + Replace (string and regex) + Prepend',
      (j) => {
        j.normalizer = {
          type: 'Sequence',
          normalizers: [
            { type: 'Strip', strip_left: true, strip_right: true },
            { type: 'Replace', pattern: { String: '.' }, content: ' dot ' },
            { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
            { type: 'Prepend', prepend: '#' },
            { type: 'Lowercase' },
          ],
        };
      },
    ],
    [
      'Nmt',
      (j) => {
        j.normalizer = { type: 'Sequence', normalizers: [{ type: 'Nmt' }, { type: 'Lowercase' }] };
      },
    ],
    [
      'BertNormalizer without Chinese handling, accents kept',
      (j) => {
        j.normalizer = {
          type: 'BertNormalizer',
          clean_text: true,
          handle_chinese_chars: false,
          strip_accents: false,
          lowercase: true,
        };
      },
    ],
    [
      'Whitespace pre-tokenizer',
      (j) => {
        j.pre_tokenizer = { type: 'Whitespace' };
      },
    ],
    [
      'WhitespaceSplit + Punctuation + Digits',
      (j) => {
        j.pre_tokenizer = {
          type: 'Sequence',
          pretokenizers: [
            { type: 'WhitespaceSplit' },
            { type: 'Punctuation', behavior: 'Contiguous' },
            { type: 'Digits', individual_digits: true },
          ],
        };
      },
    ],
    [
      'Split: regex merged with previous, string merged with next, inverted',
      (j) => {
        j.pre_tokenizer = {
          type: 'Sequence',
          pretokenizers: [
            { type: 'Split', pattern: { Regex: '\\s+' }, behavior: 'MergedWithPrevious', invert: false },
            { type: 'Split', pattern: { String: '.' }, behavior: 'MergedWithNext', invert: false },
            { type: 'Split', pattern: { Regex: '[a-z]+' }, behavior: 'Removed', invert: true },
          ],
        };
      },
    ],
    [
      'CharDelimiterSplit + Digits contiguous',
      (j) => {
        j.pre_tokenizer = {
          type: 'Sequence',
          pretokenizers: [
            { type: 'CharDelimiterSplit', delimiter: ' ' },
            { type: 'Digits', individual_digits: false },
          ],
        };
      },
    ],
    [
      'BertProcessing, decoder without cleanup',
      (j) => {
        j.post_processor = { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] };
        j.decoder = { type: 'WordPiece', prefix: '##', cleanup: false };
      },
    ],
    [
      'no post-processor, no decoder',
      (j) => {
        j.post_processor = null;
        j.decoder = null;
      },
    ],
    [
      'short max_input_chars_per_word',
      (j) => {
        j.model.max_input_chars_per_word = 5;
      },
    ],
  ];
  for (const [name, edit] of cases) it(name, () => expectParity(bert(edit)));
});

describe('HF parity on byte-level BPE variants', () => {
  const gpt2 = (edit: (j: Json) => void): Json => {
    const j = fixture('gpt2-bpe.json');
    edit(j);
    return j;
  };
  const eot = (j: Json): number => j.model.vocab['<|endoftext|>'];
  const cases: [string, (j: Json) => void][] = [
    [
      'add_prefix_space and trimmed offsets',
      (j) => {
        j.pre_tokenizer.add_prefix_space = true;
        j.post_processor = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true };
      },
    ],
    [
      'no regex split',
      (j) => {
        j.pre_tokenizer.use_regex = false;
      },
    ],
    [
      'Sequence [ByteLevel, TemplateProcessing] (Llama 3 style) and a normalized added token',
      (j) => {
        j.post_processor = {
          type: 'Sequence',
          processors: [
            { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
            {
              type: 'TemplateProcessing',
              single: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
              pair: [
                { SpecialToken: { id: '<|endoftext|>', type_id: 0 } },
                { Sequence: { id: 'A', type_id: 0 } },
                { SpecialToken: { id: '<|endoftext|>', type_id: 1 } },
                { Sequence: { id: 'B', type_id: 1 } },
              ],
              special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [eot(j)], tokens: ['<|endoftext|>'] } },
            },
          ],
        };
        j.added_tokens.push(added(eot(j) + 1, ' the', { normalized: true }));
      },
    ],
    [
      'Split pre-tokenizer with an inline-case regex, ByteLevel without regex',
      (j) => {
        j.pre_tokenizer = {
          type: 'Sequence',
          pretokenizers: [
            {
              type: 'Split',
              pattern: {
                Regex:
                  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
              },
              behavior: 'Isolated',
              invert: false,
            },
            { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
          ],
        };
      },
    ],
    [
      'ignore_merges',
      (j) => {
        j.model.ignore_merges = true;
      },
    ],
  ];
  for (const [name, edit] of cases) it(name, () => expectParity(gpt2(edit)));
  it('RoBERTa with add_prefix_space', () => {
    const j = fixture('roberta-bpe.json');
    j.pre_tokenizer.add_prefix_space = true;
    j.post_processor.add_prefix_space = true;
    return expectParity(j);
  });
});

describe('HF parity on Unigram / Metaspace variants', () => {
  const t5 = (edit: (j: Json) => void): Json => {
    const j = fixture('t5-unigram.json');
    edit(j);
    return j;
  };
  const cases: [string, (j: Json) => void][] = [
    [
      'prepend_scheme first, legacy add_prefix_space decoder',
      (j) => {
        j.pre_tokenizer.prepend_scheme = 'first';
        j.decoder = { type: 'Metaspace', replacement: '\u2581', add_prefix_space: true };
      },
    ],
    [
      'prepend_scheme never, no split',
      (j) => {
        j.pre_tokenizer = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: false };
        j.decoder.prepend_scheme = 'never';
      },
    ],
    [
      'WhitespaceSplit + Metaspace, NFKC normalizer',
      (j) => {
        j.normalizer = { type: 'NFKC' };
        j.pre_tokenizer = {
          type: 'Sequence',
          pretokenizers: [
            { type: 'WhitespaceSplit' },
            { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
          ],
        };
      },
    ],
    [
      'byte_fallback with a Llama-style decoder',
      (j) => {
        const n = j.model.vocab.length;
        for (let b = 0; b < 256; b++) j.model.vocab.push([`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, -20]);
        j.model.byte_fallback = true;
        for (const t of j.added_tokens) if (t.id >= n) t.id += 256;
        j.decoder = {
          type: 'Sequence',
          decoders: [
            { type: 'Replace', pattern: { String: '\u2581' }, content: ' ' },
            { type: 'ByteFallback' },
            { type: 'Fuse' },
            { type: 'Strip', content: ' ', start: 1, stop: 0 },
          ],
        };
      },
    ],
  ];
  for (const [name, edit] of cases) it(name, () => expectParity(t5(edit)));
});

describe('HF parity on small hand-made models', () => {
  const base = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    post_processor: null,
  };
  const chars = 'abcdefghijklmnopqrstuvwxyz'.split('');
  it('BPE with continuing_subword_prefix, unk and fuse_unk', () => {
    const vocab: Json = { '<unk>': 0 };
    for (const c of chars) {
      vocab[c] = Object.keys(vocab).length;
      vocab[`##${c}`] = Object.keys(vocab).length;
    }
    const merges = [
      ['t', '##h'],
      ['th', '##e'],
      ['##e', '##r'],
      ['a', '##n'],
      ['an', '##d'],
    ];
    for (const [a, b] of merges) vocab[a + b.replace('##', '')] = Object.keys(vocab).length;
    return expectParity({
      ...base,
      pre_tokenizer: { type: 'Whitespace' },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: '##',
        end_of_word_suffix: null,
        fuse_unk: true,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges,
      },
    });
  });
  it('BPE with end_of_word_suffix and BPEDecoder', () => {
    const vocab: Json = { '<unk>': 0 };
    for (const c of chars) {
      vocab[c] = Object.keys(vocab).length;
      vocab[`${c}</w>`] = Object.keys(vocab).length;
    }
    const merges = ['t h', 'th e</w>', 'a n', 'an d</w>', 'i s</w>'];
    for (const m of merges) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
    return expectParity({
      ...base,
      pre_tokenizer: { type: 'WhitespaceSplit' },
      decoder: { type: 'BPEDecoder', suffix: '</w>' },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: null,
        end_of_word_suffix: '</w>',
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges,
      },
    });
  });
  it('BPE with byte_fallback', () => {
    const vocab: Json = { '<unk>': 0 };
    for (let b = 0; b < 256; b++)
      vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = Object.keys(vocab).length;
    for (const c of [...chars, '\u2581']) vocab[c] = Object.keys(vocab).length;
    const merges = [
      ['\u2581', 't'],
      ['h', 'e'],
      ['\u2581t', 'he'],
    ];
    for (const [a, b] of merges) vocab[a + b] = Object.keys(vocab).length;
    return expectParity({
      ...base,
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'Prepend', prepend: '\u2581' },
          { type: 'Replace', pattern: { String: ' ' }, content: '\u2581' },
        ],
      },
      pre_tokenizer: null,
      decoder: {
        type: 'Sequence',
        decoders: [
          { type: 'Replace', pattern: { String: '\u2581' }, content: ' ' },
          { type: 'ByteFallback' },
          { type: 'Fuse' },
          { type: 'Strip', content: ' ', start: 1, stop: 0 },
        ],
      },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: true,
        byte_fallback: true,
        ignore_merges: false,
        vocab,
        merges,
      },
    });
  });
  it('WordLevel with a CTC decoder', () => {
    const vocab: Json = { '<pad>': 0, '<unk>': 1, '|': 2 };
    for (const w of ['the', 'jury', 'said', 'hello', 'world', ',', '!', '.']) vocab[w] = Object.keys(vocab).length;
    return expectParity({
      ...base,
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      decoder: { type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: true },
      model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
    });
  });
});
