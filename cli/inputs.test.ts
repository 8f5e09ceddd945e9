// Text into show, transform and tokenizer encode: by argument, file and standard input; every corpus form; formats
// told apart by their bytes; document separators; encodings; the rows tokenizer encode writes feed transform.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const main = join(root, 'dist', 'cli', 'main.js');
const TOK = join(root, 'assets', 'tokenizers', 'brown-bert.json');
const FIXTURES = join(root, 'test', 'fixtures', 'corpus');
const TEXT = 'The cat sat on the mat. It purred softly.\n\nThe dog slept by the door. Then it woke up.\n';
let dir: string;

function pretext(args: string[], input?: string | Uint8Array): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], input?: string | Uint8Array): string {
  const r = pretext(args, input);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

function userError(args: string[], message: RegExp, input?: string | Uint8Array): void {
  const r = pretext(args, input);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|malformed JSON/);
}

const rows = (jsonl: string) =>
  jsonl
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const file = (name: string, data: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pretext-inputs-'));
  file('two.txt', TEXT);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('text by argument, file and standard input', () => {
  const one = 'The cat sat on the mat. It purred softly.';

  it('tokenizer encode: the same row from the argument, --in FILE, - and --in -', () => {
    const path = file('one.txt', `${one}\n`);
    const byArg = ok(['tokenizer', 'encode', '--tokenizer', TOK, one]);
    const [row] = rows(byArg);
    expect(Object.keys(row)).toEqual(['id', 'input_ids', 'word_ids']);
    expect((row.input_ids as number[])[0]).toBe(2); // [CLS]
    const ids = (s: string) => rows(s).map((r) => r.input_ids);
    expect(ids(ok(['tokenizer', 'encode', '--tokenizer', TOK, '--in', path]))).toEqual([row.input_ids]);
    expect(ids(ok(['tokenizer', 'encode', '--tokenizer', TOK, '-'], `${one}\n`))).toEqual([row.input_ids]);
    expect(ids(ok(['tokenizer', 'encode', '--tokenizer', TOK, '--in', '-'], `${one}\n`))).toEqual([row.input_ids]);
  });

  it('show: the same examples from the argument, --in FILE and -', () => {
    const path = file('one-show.txt', `${one}\n`);
    const byArg = ok(['show', one, '--objective', 'mlm', '--seed', '4', '--json']);
    expect(ok(['show', '--in', path, '--objective', 'mlm', '--seed', '4', '--json'])).toBe(byArg);
    expect(ok(['show', '-', '--objective', 'mlm', '--seed', '4', '--json'], one)).toBe(byArg);
  });

  it('show --in with several documents shows each, up to --max-docs', () => {
    const out = ok(['show', '--in', join(dir, 'two.txt'), '--objective', 'clm', '--json']);
    expect(rows(out)).toHaveLength(2);
    const r = pretext(['show', '--in', join(dir, 'two.txt'), '--objective', 'clm', '--max-docs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/showing the first 1 document/);
  });

  it('transform: a text argument with --tokenizer, output on stdout when there is no --out', () => {
    const [ex] = rows(ok(['transform', '--objective', 'mlm', one, '--tokenizer', TOK, '--seed', '4']));
    const [shown] = rows(ok(['show', one, '--objective', 'mlm', '--seed', '4', '--json']));
    expect(ex).toEqual(shown);
  });

  it('an argument and --in together, or no input at all, are refused', () => {
    userError(
      ['tokenizer', 'encode', '--tokenizer', TOK, '--in', join(dir, 'two.txt'), 'extra'],
      /as an argument or with --in, not both/,
    );
    userError(['transform', '--objective', 'mlm', '--tokenizer', TOK], /give the input: --in FILE/);
    userError(['show', '--in', join(dir, 'nope.txt')], /no such file: .*nope\.txt/);
    userError(
      ['transform', '--objective', 'mlm', '--in', join(dir, 'nope.jsonl'), '--vocab-size', '10', '--mask-id', '4'],
      /no such file: .*nope\.jsonl/,
    );
  });
});

describe('every corpus form into transform, tokenized on the way', () => {
  const clm = (...inArgs: string[]) =>
    rows(
      ok([
        'transform',
        '--objective',
        'clm',
        '--tokenizer',
        join(root, 'assets', 'tokenizers', 'brown-gpt2.json'),
        ...inArgs,
      ]),
    );

  it('a .txt (a document per paragraph), a folder, JSONL --text-field, Parquet --text-column', () => {
    expect(clm('--in', join(dir, 'two.txt'))).toHaveLength(2);
    expect(clm('--in', join(FIXTURES, 'text'))).toHaveLength(5);
    expect(clm('--in', join(FIXTURES, 'docs.jsonl'))).toHaveLength(4);
    expect(clm('--in', join(FIXTURES, 'docs.parquet'))).toHaveLength(4);
    const byLang = clm('--in', join(FIXTURES, 'docs.jsonl'), '--text-field', 'lang');
    expect(clm('--in', join(FIXTURES, 'docs.parquet'), '--text-column', 'lang')).toEqual(byLang);
  });

  it("nsp from text: each document's sentences become segments", () => {
    const out = rows(
      ok([
        'transform',
        '--objective',
        'nsp',
        '--tokenizer',
        TOK,
        '--in',
        join(FIXTURES, 'docs.jsonl'),
        '--max-seq-len',
        '32',
      ]),
    );
    expect(out.length).toBeGreaterThan(0);
    for (const ex of out) expect([0, 1]).toContain(ex.next_sentence_label);
  });

  it('text without --tokenizer says how to tokenize it', () => {
    userError(
      ['transform', '--objective', 'mlm', '--in', join(dir, 'two.txt'), '--vocab-size', '100', '--mask-id', '4'],
      /two\.txt holds text: give --tokenizer tokenizer\.json/,
    );
  });
});

describe('tokenizer encode writes the rows transform reads', () => {
  it('token rows with word ids: whole-word masking runs on them', () => {
    const out = join(dir, 'rows.jsonl');
    ok(['tokenizer', 'encode', '--tokenizer', TOK, '--in', join(dir, 'two.txt'), '--out', out]);
    const encoded = rows(readFileSync(out, 'utf8'));
    expect(encoded).toHaveLength(2);
    for (const r of encoded) expect((r.word_ids as number[]).length).toBe((r.input_ids as number[]).length);
    const masked = rows(
      ok([
        'transform',
        '--objective',
        'mlm',
        '--in',
        out,
        '--tokenizer',
        TOK,
        '--whole-word',
        '--mask-prob',
        '0.5',
        '--seed',
        '2',
      ]),
    );
    expect(masked).toHaveLength(2);
    // tokenizing on the way gives the same examples as encode then transform
    expect(
      rows(
        ok([
          'transform',
          '--objective',
          'mlm',
          '--in',
          join(dir, 'two.txt'),
          '--tokenizer',
          TOK,
          '--whole-word',
          '--mask-prob',
          '0.5',
          '--seed',
          '2',
        ]),
      ),
    ).toEqual(masked);
  });

  it('--sentences writes documents for nsp/sop; --unit sentence a row per sentence', () => {
    const docs = join(dir, 'docs.jsonl');
    ok(['tokenizer', 'encode', '--tokenizer', TOK, '--in', join(dir, 'two.txt'), '--sentences', '-o', docs]);
    const written = rows(readFileSync(docs, 'utf8'));
    expect(written.map((d) => (d.sentences as number[][]).length)).toEqual([2, 2]);
    expect(Object.keys(written[0])).toEqual(['id', 'sentences', 'word_ids']);
    const sop = rows(ok(['transform', '--objective', 'sop', '--in', docs, '--tokenizer', TOK, '--max-seq-len', '32']));
    expect(sop.length).toBeGreaterThan(0);
    expect(
      rows(ok(['tokenizer', 'encode', '--tokenizer', TOK, '--in', join(dir, 'two.txt'), '--unit', 'sentence'])),
    ).toHaveLength(4);
  });

  it('rows of the other form are refused naming both forms', () => {
    const out = join(dir, 'rows2.jsonl');
    ok(['tokenizer', 'encode', '--tokenizer', TOK, '--in', join(dir, 'two.txt'), '--out', out]);
    userError(
      ['transform', '--objective', 'nsp', '--in', out, '--tokenizer', TOK],
      /nsp takes documents .* but .*rows2\.jsonl holds token rows .*--sentences/,
    );
  });
});

describe('formats by their bytes', () => {
  beforeAll(() => {
    parquetWriteFile({
      filename: join(dir, 'rows.parquet'),
      columnData: [
        {
          name: 'input_ids',
          data: [
            [2, 10, 11, 12, 3],
            [2, 20, 21, 3],
          ],
        },
      ],
    });
    parquetWriteFile({
      filename: join(dir, 'parquet-named.jsonl'),
      columnData: [
        {
          name: 'input_ids',
          data: [
            [2, 10, 11, 12, 3],
            [2, 20, 21, 3],
          ],
        },
      ],
    });
  });
  const ids = ['--vocab-size', '100', '--cls-id', '2', '--sep-id', '3', '--mask-id', '4'];

  it('Parquet token rows are read as JSONL rows are; a Parquet file named .jsonl too, with a note', () => {
    const jsonl = file('rows-twin.jsonl', '{"input_ids": [2, 10, 11, 12, 3]}\n{"input_ids": [2, 20, 21, 3]}\n');
    const expected = ok(['transform', '--objective', 'mlm', '--in', jsonl, '--seed', '1', ...ids]);
    expect(ok(['transform', '--objective', 'mlm', '--in', join(dir, 'rows.parquet'), '--seed', '1', ...ids])).toBe(
      expected,
    );
    const r = pretext([
      'transform',
      '--objective',
      'mlm',
      '--in',
      join(dir, 'parquet-named.jsonl'),
      '--seed',
      '1',
      ...ids,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(r.stderr).toMatch(/note: parquet-named\.jsonl is a Parquet file/);
    expect(
      ok(['transform', '--objective', 'mlm', '-', '--seed', '1', ...ids], readFileSync(join(dir, 'rows.parquet'))),
    ).toBe(expected);
  });

  it('compressed, binary, UTF-16 and not-Parquet files are refused naming what they are', () => {
    userError(
      ['transform', '--objective', 'mlm', '--in', file('rows.jsonl.gz', gzipSync('{"input_ids": [2]}\n')), ...ids],
      /rows\.jsonl\.gz: gzip-compressed \(decompress it first/,
    );
    userError(['show', '--in', file('blob.jsonl', Uint8Array.of(0x7b, 0, 1, 2, 3))], /blob\.jsonl: binary data/);
    userError(
      ['show', '--in', file('utf16.txt', Buffer.from('\ufeffhello', 'utf16le'))],
      /UTF-16 text \(convert it: iconv/,
    );
    userError(
      ['tokenizer', 'train', '--corpus', file('fake.parquet', 'Just text.\n'), '--out', join(dir, 't.json')],
      /fake\.parquet: not a Parquet file \(no PAR1 magic\): it looks like plain text/,
    );
  });
});

describe('.txt documents: --doc-sep', () => {
  const count = (docSep: string, text: string) =>
    rows(ok(['tokenizer', 'encode', '--tokenizer', TOK, '-', '--doc-sep', docSep, '--sentences'], text)).length;
  const text = 'One. Two.\nThree.\n\nFour.\n---\nFive.\n';

  it('blank-line (the default), line, file and a regex', () => {
    expect(count('blank-line', text)).toBe(2);
    expect(count('line', text)).toBe(5);
    expect(count('file', text)).toBe(1);
    expect(count('^---$', text)).toBe(2);
    userError(
      ['tokenizer', 'encode', '--tokenizer', TOK, '-', '--doc-sep', '(oops'],
      /--doc-sep must be blank-line, line, file or a regular expression/,
      text,
    );
  });
});

describe('--encoding', () => {
  const bad = () =>
    Buffer.concat([
      Buffer.from('caf'),
      Uint8Array.of(0xe9),
      Buffer.from(' au lait. Na'),
      Uint8Array.of(0xef),
      Buffer.from('ve.\n'),
    ]);

  it('utf-8 (default) replaces bad bytes and counts them in a warning', () => {
    const r = pretext(['tokenizer', 'encode', '--tokenizer', TOK, '--in', file('latin.txt', bad()), '--tokens']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: .*latin\.txt: 2 bytes are not valid UTF-8, replaced with U\+FFFD \(--encoding latin1/,
    );
  });

  it('utf-8-strict refuses; latin1 reads the bytes as Latin-1', () => {
    userError(
      ['tokenizer', 'encode', '--tokenizer', TOK, '--in', file('latin2.txt', bad()), '--encoding', 'utf-8-strict'],
      /latin2\.txt: byte 3 is not valid UTF-8 \(--encoding latin1/,
    );
    const r = pretext(['show', '-', '--encoding', 'latin1', '--objective', 'clm', '--json'], bad());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(ok(['show', 'café au lait. Naïve.', '--objective', 'clm', '--json'])).toBe(r.stdout);
  });
});

describe('training corpora too small for the split', () => {
  it('a corpus without validation documents says so and trains; one with no training document is refused', () => {
    const small = file('small.txt', 'The cat sat on the mat. It purred.\n\nThe dog slept by the door.\n');
    const run = [
      'train',
      '--objective',
      'mlm',
      '--corpus',
      small,
      '--steps',
      '1',
      '--batch-size',
      '1',
      '--seq-len',
      '16',
      '--vocab-size',
      '200',
    ];
    const r = pretext([...run, '--out', join(dir, 'run-small')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: .*small\.txt has 2 documents, too few to hold out validation documents at --validation-fraction 0\.05: this run has no validation/,
    );
    userError(
      [...run, '--validation-fraction', '1', '--out', join(dir, 'run-none')],
      /small\.txt: its 2 documents all fell in the validation split \(--validation-fraction 1\)/,
    );
  });
});

it('train --vocab-size below what the corpus alphabet needs is refused before the run folder is made', () => {
  const small = file('small2.txt', 'The cat sat on the mat. It purred.\n\nThe dog slept by the door.\n');
  userError(
    [
      'train',
      '--objective',
      'mlm',
      '--corpus',
      small,
      '--steps',
      '1',
      '--vocab-size',
      '20',
      '--out',
      join(dir, 'run-tiny-vocab'),
    ],
    /--vocab-size 20 is too small for .*small2\.txt: .* take \d+ entries; give --vocab-size \d+ or more/,
  );
  expect(existsSync(join(dir, 'run-tiny-vocab'))).toBe(false);
});

it("train --tokenizer auto on the user's corpus trains a tokenizer on it (the built-in ones are Brown's)", () => {
  const small = file('small3.txt', 'The cat sat on the mat. It purred.\n\nThe dog slept by the door.\n');
  const r = pretext([
    'train',
    '--objective',
    'mlm',
    '--corpus',
    small,
    '--steps',
    '1',
    '--batch-size',
    '1',
    '--seq-len',
    '16',
    '--vocab-size',
    '8192',
    '--out',
    join(dir, 'run-auto'),
  ]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/tokenizer +WordPiece trained on the train split/);
});
