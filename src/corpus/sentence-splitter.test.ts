import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sentencesOfText, splitSentences } from './sentence-splitter.js';

// [input, expected sentences]
const CASES: [string, string[]][] = [
  ['', []],
  ['   \n ', []],
  ['No terminator at all', ['No terminator at all']],
  ['One. Two. Three.', ['One.', 'Two.', 'Three.']],
  ['Mr. Smith went to Washington. He stayed.', ['Mr. Smith went to Washington.', 'He stayed.']],
  [
    'Mrs. Jones and Dr. Who met St. Peter. Then they left.',
    ['Mrs. Jones and Dr. Who met St. Peter.', 'Then they left.'],
  ],
  ['He lives on Main St. The house is red.', ['He lives on Main St.', 'The house is red.']],
  ['Fruit, e.g. Apples, is good. I.e. it is healthy.', ['Fruit, e.g. Apples, is good.', 'I.e. it is healthy.']],
  ['Bring fruit, i.e. apples and pears. Then go.', ['Bring fruit, i.e. apples and pears.', 'Then go.']],
  ['Pens, pencils, etc. The list goes on.', ['Pens, pencils, etc.', 'The list goes on.']],
  ['Pens, pencils, etc. are on the desk.', ['Pens, pencils, etc. are on the desk.']],
  ['He moved to the U.S.A. Then he left.', ['He moved to the U.S.A.', 'Then he left.']],
  ['The U.S. Army arrived. It was late.', ['The U.S. Army arrived.', 'It was late.']],
  ['J. R. R. Tolkien wrote it. It is long.', ['J. R. R. Tolkien wrote it.', 'It is long.']],
  ['Pi is 3.14 roughly. Tau is 6.28.', ['Pi is 3.14 roughly.', 'Tau is 6.28.']],
  ['It costs $3.50. We paid.', ['It costs $3.50.', 'We paid.']],
  ['Wait... What happened?', ['Wait...', 'What happened?']],
  ['I was thinking... about it. Yes.', ['I was thinking... about it.', 'Yes.']],
  ['Well\u2026 Maybe not.', ['Well\u2026', 'Maybe not.']],
  ['He paused . . . and went on.', ['He paused . . . and went on.']],
  ['Really?! Yes! No way? Okay.', ['Really?!', 'Yes!', 'No way?', 'Okay.']],
  ['"Why?" she asked. "Because."', ['"Why?" she asked.', '"Because."']],
  ['He said, "Stop." Then he ran.', ['He said, "Stop."', 'Then he ran.']],
  ['\u201cGo home.\u201d She did.', ['\u201cGo home.\u201d', 'She did.']],
  ['(See the note.) The rest follows.', ['(See the note.)', 'The rest follows.']],
  ['He left [at noon.] Later he came back.', ['He left [at noon.]', 'Later he came back.']],
  ['It was 5 p.m. The shop closed.', ['It was 5 p.m.', 'The shop closed.']],
  ['At 5 p.m. Eastern time we met.', ['At 5 p.m. Eastern time we met.']],
  ['See Fig. 3 and No. 5 for details.', ['See Fig. 3 and No. 5 for details.']],
  ['Smith et al. The paper is old.', ['Smith et al.', 'The paper is old.']],
  ['Smith et al. showed it.', ['Smith et al. showed it.']],
  ['Visit example.com today. It works.', ['Visit example.com today.', 'It works.']],
  ['Line one\nwraps here. Next\nsentence.', ['Line one wraps here.', 'Next sentence.']],
  ['She has a Ph.D. in physics.', ['She has a Ph.D. in physics.']],
  ['He said no. Then he left.', ['He said no.', 'Then he left.']],
  ['In 1990. 25 people came.', ['In 1990.', '25 people came.']],
  ['Ends with abbreviation Mr.', ['Ends with abbreviation Mr.']],
  ['\u4f60\u597d\u3002\u6211\u5f88\u597d\uff01', ['\u4f60\u597d\u3002', '\u6211\u5f88\u597d\uff01']],
];

describe('splitSentences', () => {
  it.each(CASES)('%j', (input, expected) => {
    expect(splitSentences(input)).toEqual(expected);
  });

  it('loses nothing: the sentences joined by spaces are the whitespace-collapsed input', () => {
    const piece = fc.constantFrom(
      'Mr.',
      'e.g.',
      'U.S.',
      'J.',
      'The',
      'end.',
      'why?!',
      '"Quote."',
      '(a)',
      '...',
      '…',
      '3.14',
      'x',
      '\n',
      '\n\n',
      '  ',
      '。',
      'etc.',
      'He',
      'it.)',
      "'s",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 30 }), (pieces, spaces) => {
        const text = pieces.map((p, i) => (spaces[i] ? ' ' : '') + p).join('');
        const sentences = splitSentences(text);
        expect(sentences.join(' ').replace(/ /g, '')).toBe(text.replace(/\s+/g, ''));
        for (const s of sentences) expect(s).toMatch(/^\S(?:.*\S)?$/);
      }),
      { numRuns: 500 },
    );
  });

  it('never breaks after a title or e.g.', () => {
    for (const t of ['Mr.', 'Mrs.', 'Dr.', 'Prof.', 'e.g.', 'i.e.', 'cf.', 'vs.']) {
      expect(splitSentences(`Before ${t} The next word.`)).toHaveLength(1);
    }
  });
});

describe('sentencesOfText', () => {
  it('splits paragraphs on blank lines and unwraps single newlines', () => {
    expect(sentencesOfText('First para\ncontinues. Second.\n\n  \nNew para')).toEqual([
      'First para continues.',
      'Second.',
      'New para',
    ]);
  });

  it('ends a sentence at a paragraph break even without a period', () => {
    expect(sentencesOfText('A heading\n\nBody text.')).toEqual(['A heading', 'Body text.']);
  });
});
