// Alignment bookkeeping (HF NormalizedString semantics) on tiny known answers.
import { describe, expect, it } from 'vitest';
import { NormalizedString } from './normalized-string.js';
import { lowercase, normalizeUnicode } from './unicode.js';

/** Original text behind each normalized char. */
function origins(ns: NormalizedString, original: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    const n = ns.text.codePointAt(i)! > 0xffff ? 2 : 1;
    out.push(original.slice(ns.start(i), ns.end(i)));
    i += n;
  }
  return out;
}

describe('NormalizedString', () => {
  it('aligns both units of a surrogate pair to the whole char', () => {
    const ns = NormalizedString.from('a😀b');
    expect([0, 1, 2, 3].map((i) => ns.start(i))).toEqual([0, 1, 1, 3]);
    expect([0, 1, 2, 3].map((i) => ns.end(i))).toEqual([1, 3, 3, 4]);
    expect(ns.originalRange(1, 3)).toEqual([1, 3]);
  });

  it('transform: replacements keep, insertions copy the previous char, -n removes', () => {
    const ns = NormalizedString.from('abcd');
    ns.transform({ chars: ['A', 'x', 'B', 'D'], changes: [0, 1, -1, 0] });
    expect(ns.text).toBe('AxBD');
    expect(origins(ns, 'abcd')).toEqual(['a', 'a', 'b', 'd']);
  });

  it('filter folds removed chars into the previous kept one; initial removals are skipped', () => {
    const ns = NormalizedString.from('\u0000ab\u0000\u0000c');
    ns.filter((cp) => cp !== 0);
    expect(ns.text).toBe('abc');
    expect(origins(ns, '\u0000ab\u0000\u0000c')).toEqual(['a', 'b', 'c']);
  });

  it('prepend and append share the alignment of the neighbouring char', () => {
    const ns = NormalizedString.from('hey');
    ns.prepend('▁');
    ns.append('!');
    expect(ns.text).toBe('▁hey!');
    expect(origins(ns, 'hey')).toEqual(['h', 'h', 'e', 'y', 'y']);
  });

  it('replace aligns the new content with the last replaced char', () => {
    const ns = NormalizedString.from('a  b');
    ns.replace([[1, 3]], '_');
    expect(ns.text).toBe('a_b');
    expect([0, 1, 2].map((i) => ns.start(i))).toEqual([0, 2, 3]);
  });

  it('strip removes surrounding whitespace', () => {
    const ns = NormalizedString.from('  hi ');
    ns.strip(true, true, (cp) => cp === 32);
    expect(ns.text).toBe('hi');
    expect(ns.originalRange(0, 2)).toEqual([2, 4]);
  });

  it('slices keep absolute original offsets', () => {
    const ns = NormalizedString.from('hello world').slice(6, 11);
    expect(ns.text).toBe('world');
    expect(ns.originalRange(1, 3)).toEqual([7, 9]);
    expect(ns.originalStart()).toBe(6);
  });

  it('lowercase and NFD expand one char into several, all aligned to it', () => {
    const ns = NormalizedString.from('İé');
    lowercase(ns);
    expect(ns.text).toBe('i\u0307é');
    normalizeUnicode(ns, 'NFD');
    expect(ns.text).toBe('i\u0307e\u0301');
    expect(origins(ns, 'İé')).toEqual(['İ', 'İ', 'é', 'é']);
  });

  it('NFC composes onto the first source char', () => {
    const ns = NormalizedString.from('e\u0301x');
    normalizeUnicode(ns, 'NFC');
    expect(ns.text).toBe('éx');
    expect(origins(ns, 'e\u0301x')).toEqual(['e', 'x']);
  });
});
