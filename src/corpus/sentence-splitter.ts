// Rule-based sentence splitter for English prose: a candidate boundary is a run of . ? ! or an ellipsis, plus any
// closing quotes/brackets, followed by whitespace; the words on either side decide (Punkt's cues, hand-written:
// Kiss & Strunk 2006, "Unsupervised Multilingual Sentence Boundary Detection").

// Abbreviations that precede what they modify: never a boundary after them ("Mr. Smith", "e.g. apples").
const NEVER_FINAL = new Set([
  'mr',
  'mrs',
  'ms',
  'messrs',
  'mme',
  'mlle',
  'dr',
  'prof',
  'rev',
  'hon',
  'fr',
  'sen',
  'rep',
  'gov',
  'pres',
  'gen',
  'col',
  'lt',
  'maj',
  'capt',
  'cmdr',
  'sgt',
  'cpl',
  'pvt',
  'adm',
  'supt',
  'insp',
  'e.g',
  'i.e',
  'cf',
  'vs',
  'viz',
  'ca',
  'approx',
]);

// Abbreviations that may also end a sentence: a boundary only when a sentence-starting word follows. Matched as
// written, so the verb "sat." or the answer "no." is not taken for "Sat." or "No.".
const MAYBE_FINAL = new Set([
  'St',
  'Mt',
  'Ft',
  'Ave',
  'Blvd',
  'Rd',
  'Jr',
  'Sr',
  'Bros',
  'Inc',
  'Ltd',
  'Co',
  'Corp',
  'Dept',
  'Univ',
  'Assn',
  'No',
  'Nos',
  'Vol',
  'Vols',
  'Ch',
  'Chap',
  'Sec',
  'Fig',
  'Figs',
  'Ed',
  'Eds',
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Sept',
  'Oct',
  'Nov',
  'Dec',
  'Mon',
  'Tue',
  'Tues',
  'Wed',
  'Thu',
  'Thurs',
  'Fri',
  'Sat',
  'Sun',
  'etc',
  'al',
  'esp',
  'vol',
  'vols',
  'ch',
  'chap',
  'sec',
  'fig',
  'figs',
  'p',
  'pp',
  'eds',
  'hr',
  'hrs',
  'sq',
  'oz',
  'lb',
  'lbs',
  'yd',
  'ft',
  'km',
  'cm',
  'mm',
  'kg',
  'mg',
]);

// Words that commonly open a sentence; after an ambiguous abbreviation they signal a boundary.
const STARTERS = new Set([
  'The',
  'A',
  'An',
  'He',
  'She',
  'It',
  'They',
  'We',
  'I',
  'You',
  'This',
  'That',
  'These',
  'Those',
  'There',
  'Then',
  'But',
  'And',
  'Or',
  'So',
  'Yet',
  'However',
  'Thus',
  'Still',
  'Also',
  'Meanwhile',
  'Now',
  'In',
  'On',
  'At',
  'If',
  'When',
  'While',
  'After',
  'Before',
  'As',
  'Since',
  'Although',
  'Though',
  'Because',
  'His',
  'Her',
  'Its',
  'Their',
  'Our',
  'My',
  'Your',
  'What',
  'Why',
  'How',
  'Who',
  'Where',
  'Which',
  'One',
  'Some',
  'Many',
  'Most',
  'All',
  'Each',
  'No',
  'Not',
  'For',
  'To',
  'From',
  'With',
  'By',
  'Today',
  'Yesterday',
  'Later',
]);

const OPENER_CHARS = `"'“‘«([{¿¡`;
const OPENERS = /^["'“‘«([{¿¡]+/;
const CLOSERS = `"'”’»)\\]}`;
// A run of terminators with its closing quotes/brackets, then whitespace or the end; CJK stops need no space.
const CANDIDATE = new RegExp(`[.?!…]+[${CLOSERS}]*(?=\\s|$)|[。！？]+[」』”’）]*`, 'g'); // all BMP: no /u needed

// ASCII first: these run once per candidate boundary.
const isLower = (c: string) => (c >= 'a' && c <= 'z') || (c > '\x7f' && /\p{Ll}/u.test(c));
const isUpper = (c: string) => (c >= 'A' && c <= 'Z') || (c > '\x7f' && /\p{Lu}/u.test(c));

/**
 * Split prose into sentences; whitespace (newlines included) is collapsed to single spaces.
 * splitSentences('Mr. Smith arrived at 3.30 p.m. He left.') -> ['Mr. Smith arrived at 3.30 p.m.', 'He left.']
 */
export function splitSentences(text: string): string[] {
  const s = text.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  let start = 0; // s[start] is the first character of the current sentence or the space before it
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(s); m !== null; m = CANDIDATE.exec(s)) {
    const end = m.index + m[0].length;
    let prev = s.slice(s.lastIndexOf(' ', m.index - 1) + 1, m.index);
    if (OPENER_CHARS.includes(prev.charAt(0))) prev = prev.replace(OPENERS, '');
    const from = s.charCodeAt(end) === 32 ? end + 1 : end;
    const nextEnd = s.indexOf(' ', from);
    const next = s.slice(from, nextEnd < 0 ? s.length : nextEnd);
    if (!isBoundary(prev, m[0], next)) continue;
    out.push(s.slice(s.charCodeAt(start) === 32 ? start + 1 : start, end));
    start = end;
  }
  if (start < s.length) out.push(s.slice(s.charCodeAt(start) === 32 ? start + 1 : start));
  return out;
}

/** Whether `prev` + terminator run `term` + following word `next` ends a sentence. */
function isBoundary(prev: string, term: string, next: string): boolean {
  if (next === '') return true;
  const t0 = term.charAt(0);
  if (t0 === '。' || t0 === '！' || t0 === '？') return true;
  const n0 = next.charAt(0);
  if (n0 === '.' || n0 === '…') return false; // spaced ellipsis ". . ." continues
  const word = OPENER_CHARS.includes(n0) ? next.replace(OPENERS, '') : next;
  const first = word.charAt(0);
  if (first === '' || isLower(first)) return false;
  if (term.includes('?') || term.includes('!')) return true;
  if (term.startsWith('..') || t0 === '…' || prev === '') return isUpper(first); // ellipsis
  return periodBoundary(prev, word);
}

/** After a single period ending `prev`, followed by a word starting with a non-lowercase character. */
function periodBoundary(prev: string, next: string): boolean {
  if (NEVER_FINAL.has(prev.toLowerCase())) return false;
  const bare = next.replace(/[^\p{L}]+$/u, '');
  const starter = STARTERS.has(bare);
  if (/^\p{L}$/u.test(prev)) return starter && bare.length > 1; // an initial: "J. R. R. Tolkien"
  if (/^(?:\p{L}{1,3}\.)+\p{L}{1,3}$/u.test(prev)) return starter; // "U.S.A.", "p.m.", "Ph.D."
  if (MAYBE_FINAL.has(prev)) return starter;
  return true;
}

/**
 * Sentences of a multi-paragraph text: blank lines separate paragraphs, single newlines are wrapping.
 * sentencesOfText('One. Two.\n\nThree') -> ['One.', 'Two.', 'Three']
 */
export function sentencesOfText(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n[ \t\r\f\v]*\n/)) {
    for (const sentence of splitSentences(para)) out.push(sentence);
  }
  return out;
}
