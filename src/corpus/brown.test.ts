import { describe, expect, it } from 'vitest';
import { brownWords, detokenize, parseBrownCategories, parseBrownFile, stripTag } from './brown.js';

describe('stripTag', () => {
  it.each([
    ['The/at', 'The'],
    ['County/nn-tl', 'County'],
    ["Atlanta's/np$", "Atlanta's"],
    ["Can't/md*", "Can't"],
    ['RECENT/jj-hl', 'RECENT'],
    ['1/2/cd', '1/2'], // the tag is after the last '/'
    ['and/or/cc', 'and/or'],
    ['//in', '/'],
    ['AAb//nn', 'AAb/'],
    ['untagged', 'untagged'],
  ])('%s -> %s', (token, word) => expect(stripTag(token)).toBe(word));
});

describe('detokenize', () => {
  it.each([
    [['``', 'Hi', "''", ',', 'he', 'said', '.'], '"Hi", he said.'], // token order kept
    [['produced', '``', 'no', 'evidence', "''", 'that'], 'produced "no evidence" that'],
    [['He', 'does', "n't", 'know', 'John', "'s", 'dog', '!'], "He doesn't know John's dog!"],
    [['(', 'see', 'above', ')', ';', 'then', ':', 'go', '?'], '(see above); then: go?'],
    [['more', "'", 'pro', "'", 'letters', 'than', "'", 'con', "'", '.'], "more 'pro' letters than 'con'."],
    [['wait', '--', 'no', '.'], 'wait -- no.'],
    [['give', "'em", 'hell'], "give 'em hell"],
    [['``', 'Why', '?', '?', "''"], '"Why??"'],
    [['a', "1/2''", "''", 'rod', "''", ','], 'a 1/2" rod",'], // inch mark, then its stray '' token
    [[], ''],
  ])('%j', (words, text) => expect(detokenize(words)).toBe(text));
});

describe('parseBrownFile', () => {
  const FILE = [
    '',
    '',
    "\tThe/at Fulton/np-tl County/nn-tl said/vbd ``/`` no/at evidence/nn ''/'' ./.",
    '',
    '',
    '\tIt/pps was/bedz 1/2/cd done/vbn ,/, he/pps said/vbd ./.',
    '\tYes/rb ./.',
    '',
  ].join('\n');

  it('gives one sentence per tagged line, tags stripped, genre and word count in meta', () => {
    expect(parseBrownFile('ca01', FILE, 'news')).toEqual({
      id: 'ca01',
      sentences: ['The Fulton County said "no evidence".', 'It was 1/2 done, he said.', 'Yes.'],
      meta: { file: 'ca01', genre: 'news', words: 9 + 8 + 2 },
    });
  });

  it('rejects a file without sentences', () => {
    expect(() => parseBrownFile('cx99', '\n\n', 'news')).toThrow(/cx99 has no sentences/);
  });

  it('splits a line into words on any whitespace', () => {
    expect(brownWords('\tA/at  b/nn\t')).toEqual(['A', 'b']);
    expect(brownWords('   ')).toEqual([]);
  });
});

describe('parseBrownCategories', () => {
  it('maps file id to genre in file order', () => {
    expect([...parseBrownCategories('ca01 news\ncb01 editorial\n\n')]).toEqual([
      ['ca01', 'news'],
      ['cb01', 'editorial'],
    ]);
  });

  it('names the bad line', () => {
    expect(() => parseBrownCategories('ca01 news\nca02\n')).toThrow('cats.txt line 2');
  });
});
