// The SentencePiece Precompiled normalizer against HF's, on a charsmap built by the fixture tool.
import { describe, expect, it } from 'vitest';
import { PretextError } from '../errors.js';
import { NormalizedString } from './normalized-string.js';
import { normalizerFromJSON } from './normalizers.js';
import { base64Decode } from './precompiled.js';
import { TABLE, hf } from './parity.case.js';
// @ts-expect-error plain .mjs tool without types
import { buildCharsMap } from '../../tools/make-tokenizer-fixtures.mjs';

const table = new Map<string, string>([
  ['\uff21', 'A'],
  ['\u00a0', ' '],
  ['\ufb01', 'fi'],
  ['\u2026', '...'],
  ['\u200b', ''],
  ['e\u0301', '\u00e9'],
  ['\u2460', '1'],
  ['ab', 'X'],
  ['a', 'Y'],
]);
const charsmap: string = buildCharsMap(table);

describe('Precompiled normalizer', () => {
  const ours = normalizerFromJSON({ type: 'Precompiled', precompiled_charsmap: charsmap });
  const theirs = hf.precompiled([...base64Decode(charsmap)]);
  const inputs = [
    ...TABLE,
    'Ａ\u00a0ﬁ…',
    'cafe\u0301',
    'ab abc a',
    'zero\u200bwidth',
    '\u2460\u2460',
    '\r\n',
    'e\u0301\u0301\u0301\u0301',
  ];

  it('normalizes as HF does (graphemes first, then chars, shortest key prefix)', () => {
    for (const s of inputs) {
      const ns = NormalizedString.from(s);
      ours.normalize(ns);
      expect(ns.text, JSON.stringify(s)).toBe(theirs.normalizeString(s));
    }
  });

  it('an empty charsmap is the identity', () => {
    const ns = NormalizedString.from('ＡＢ');
    normalizerFromJSON({ type: 'Precompiled', precompiled_charsmap: '' }).normalize(ns);
    expect(ns.text).toBe('ＡＢ');
  });

  it('rejects malformed blobs with a PretextError', () => {
    const bad = (bytes: number[]) => () =>
      normalizerFromJSON({ type: 'Precompiled', precompiled_charsmap: Buffer.from(bytes).toString('base64') });
    expect(bad([1, 0, 0, 0, 0, 0, 0, 0])).toThrow(PretextError); // trie size not a multiple of 4
    expect(bad([16, 0, 0, 0, 0, 0, 0, 0])).toThrow(PretextError); // trie longer than the blob
    expect(bad([4, 0, 0, 0, 0, 4, 0, 0, 0xff, 0xfe])).toThrow(/cannot parse precompiled_charsmap/); // pool not UTF-8
  });
});
