// The CLI as a user runs it: `node dist/cli/main.js ...` (npm test builds dist first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = join(__dirname, '..', 'dist', 'cli', 'main.js');
let dir: string;

function pretext(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A one-line `pretext: ...` error with exit code 2, no stack trace. */
function expectUserError(r: { code: number; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^pretext: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

function write(name: string, lines: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

const bertIds = [
  '--vocab-size',
  '100',
  '--pad-id',
  '0',
  '--unk-id',
  '1',
  '--cls-id',
  '2',
  '--sep-id',
  '3',
  '--mask-id',
  '4',
];

beforeAll(() => {
  if (!existsSync(main)) throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'pretext-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext --help', () => {
  it('lists every command', () => {
    const r = pretext('--help');
    expect(r.code).toBe(0);
    for (const c of ['show', 'transform', 'tokenizer', 'demo']) expect(r.stdout).toContain(c);
  });

  it('show --help lists the objective options with their defaults', () => {
    const r = pretext('show', '--objective', 'mlm', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--mask-prob <number>\s+.*\(default: 0\.15\)/);
    expect(r.stdout).toMatch(/--seed <int>\s+.*\(default: 0\)/);
  });

  it('transform --help for span-corruption lists its options', () => {
    const r = pretext('transform', '--objective', 'span-corruption', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--noise-density');
    expect(r.stdout).toContain('--mean-span-length');
  });
});

describe('pretext show', () => {
  it('--json prints the fields with HF names, deterministic per seed', () => {
    const a = pretext('show', 'The cat sat on the mat.', '--objective', 'mlm', '--seed', '7', '--json');
    expect(a.code, a.stderr).toBe(0);
    const row = JSON.parse(a.stdout.trim().split('\n')[0]);
    expect(Object.keys(row)).toEqual(expect.arrayContaining(['input_ids', 'labels', 'attention_mask']));
    expect(row.labels).toHaveLength(row.input_ids.length);
    expect(pretext('show', 'The cat sat on the mat.', '--objective', 'mlm', '--seed', '7', '--json').stdout).toBe(
      a.stdout,
    );
  });

  it.each(['mlm', 'clm', 'nsp', 'sop', 'span-corruption', 'prefix-lm', 'electra', 'simcse', 'bart-infilling'])(
    'renders %s with a legend',
    (id) => {
      const r = pretext(
        'show',
        'The cat sat on the mat. It was a sunny day and the dog slept by the door.',
        '--objective',
        id,
        '--seed',
        '3',
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(id);
      expect(r.stdout).toMatch(/\(\d+\)/); // legend counts
    },
  );

  it('nsp shows the pair label', () => {
    const r = pretext(
      'show',
      'The cat sat on the mat. It was a sunny day. The dog slept by the door.',
      '--objective',
      'nsp',
      '--seed',
      '1',
    );
    expect(r.stdout).toMatch(/next_sentence_label = [01]/);
  });

  it('empty text is a one-line error', () => {
    expectUserError(pretext('show', '   ', '--objective', 'mlm'), /empty text/);
  });

  it('an unknown objective or option is a one-line error', () => {
    expectUserError(pretext('show', 'hi', '--objective', 'nope'), /unknown objective 'nope'/);
    expectUserError(pretext('show', 'hi', '--objective', 'mlm', '--bogus', '1'), /unknown option '--bogus'/);
  });

  it('a tokenizer without [MASK] is rejected for mlm', () => {
    expectUserError(
      pretext(
        'show',
        'hi there',
        '--objective',
        'mlm',
        '--tokenizer',
        join(__dirname, '..', 'assets', 'tokenizers', 'brown-gpt2.json'),
      ),
      /\[MASK\]/,
    );
  });
});

describe('pretext transform', () => {
  it('mlm over token rows: one output per row, HF fields, deterministic', () => {
    const input = write('rows.jsonl', [
      { input_ids: [2, 10, 11, 12, 13, 14, 15, 16, 17, 3] },
      { input_ids: [2, 20, 21, 22, 3] },
    ]);
    const out = join(dir, 'mlm.jsonl');
    const r = pretext(
      'transform',
      '--objective',
      'mlm',
      '--in',
      input,
      '--out',
      out,
      '--seed',
      '5',
      '--mask-prob',
      '0.5',
      ...bertIds,
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows[0].labels).toHaveLength(10);
    const again = join(dir, 'mlm2.jsonl');
    pretext(
      'transform',
      '--objective',
      'mlm',
      '--in',
      input,
      '--out',
      again,
      '--seed',
      '5',
      '--mask-prob',
      '0.5',
      ...bertIds,
    );
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('clm --pack --block-size gives rows with position_ids and document_ids', () => {
    const input = write('docs-clm.jsonl', [
      { input_ids: [10, 11, 12] },
      { input_ids: [20, 21, 22, 23, 24] },
      { input_ids: [30, 31] },
    ]);
    const out = join(dir, 'clm.jsonl');
    const r = pretext(
      'transform',
      '--objective',
      'clm',
      '--in',
      input,
      '--out',
      out,
      '--pack',
      '--block-size',
      '4',
      '--vocab-size',
      '100',
      '--eos-id',
      '3',
      '--pad-id',
      '0',
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const row of rows) {
      expect(row.input_ids).toHaveLength(4);
      expect(row.position_ids).toHaveLength(4);
      expect(row.document_ids).toHaveLength(4);
    }
    expect(rows.flatMap((x) => x.input_ids).filter((id: number) => id === 3).length).toBeGreaterThanOrEqual(2);
  });

  it('nsp over documents: pairs with next_sentence_label and source', () => {
    const doc = (id: number, base: number) => ({
      id,
      sentences: Array.from({ length: 6 }, (_, s) => Array.from({ length: 5 }, (_, t) => base + s * 5 + t)),
    });
    const input = write('docs.jsonl', [doc(0, 10), doc(1, 50)]);
    const out = join(dir, 'nsp.jsonl');
    const r = pretext(
      'transform',
      '--objective',
      'nsp',
      '--in',
      input,
      '--out',
      out,
      '--max-seq-len',
      '32',
      ...bertIds,
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect([0, 1]).toContain(row.next_sentence_label);
      expect(row.source.a).toBeDefined();
      expect(row.token_type_ids).toHaveLength(row.input_ids.length);
    }
  });

  const noPartial = (out: string) => {
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  };

  it('malformed JSONL names the line; no partial output is left', () => {
    const input = write('bad.jsonl', [{ input_ids: [2, 10, 3] }, '{"input_ids": [2, 11', { input_ids: [2, 12, 3] }]);
    const out = join(dir, 'bad-out.jsonl');
    expectUserError(
      pretext('transform', '--objective', 'mlm', '--in', input, '--out', out, ...bertIds),
      /bad\.jsonl:2: malformed JSON/,
    );
    noPartial(out);
  });

  it('a row with no tokens, an id outside the vocabulary', () => {
    const out = join(dir, 'x.jsonl');
    expectUserError(
      pretext(
        'transform',
        '--objective',
        'mlm',
        '--in',
        write('empty-row.jsonl', [{ input_ids: [2, 10, 3] }, { input_ids: [] }]),
        '--out',
        out,
        ...bertIds,
      ),
      /no tokens/,
    );
    noPartial(out);
    expectUserError(
      pretext(
        'transform',
        '--objective',
        'mlm',
        '--in',
        write('oov.jsonl', [{ input_ids: [2, 10, 300, 3] }]),
        '--out',
        out,
        ...bertIds,
      ),
      /outside the vocabulary/,
    );
    noPartial(out);
  });

  it('probabilities outside [0, 1] and replace probabilities summing over 1', () => {
    const input = write('ok.jsonl', [{ input_ids: [2, 10, 3] }]);
    const out = join(dir, 'p.jsonl');
    expectUserError(
      pretext('transform', '--objective', 'mlm', '--in', input, '--out', out, '--mask-prob', '1.5', ...bertIds),
      /\[0, 1\]/,
    );
    expectUserError(
      pretext(
        'transform',
        '--objective',
        'mlm',
        '--in',
        input,
        '--out',
        out,
        '--mask-replace-prob',
        '0.8',
        '--random-replace-prob',
        '0.3',
        ...bertIds,
      ),
      /1/,
    );
    noPartial(out);
  });

  it('mlm without a mask id; nsp on a one-document corpus; a missing file', () => {
    const input = write('ok2.jsonl', [{ input_ids: [2, 10, 3] }]);
    const out = join(dir, 'q.jsonl');
    expectUserError(
      pretext('transform', '--objective', 'mlm', '--in', input, '--out', out, '--vocab-size', '100'),
      /MASK/,
    );
    const one = write('one-doc.jsonl', [
      {
        id: 0,
        sentences: [
          [10, 11, 12],
          [13, 14, 15],
          [16, 17],
        ],
      },
    ]);
    expectUserError(
      pretext('transform', '--objective', 'nsp', '--in', one, '--out', out, ...bertIds),
      /at least two documents/,
    );
    expectUserError(
      pretext('transform', '--objective', 'mlm', '--in', join(dir, 'nope.jsonl'), '--out', out, ...bertIds),
      /no such file/,
    );
    noPartial(out);
  });

  it('without a vocabulary it says what to give', () => {
    expectUserError(
      pretext(
        'transform',
        '--objective',
        'clm',
        '--in',
        write('v.jsonl', [{ input_ids: [1] }]),
        '--out',
        join(dir, 'v-out.jsonl'),
      ),
      /--tokenizer|--vocab-size/,
    );
  });
});

describe('pretext tokenizer', () => {
  it('trains a wordpiece tokenizer on a text corpus and encodes with it', () => {
    const corpus = join(__dirname, '..', 'test', 'fixtures', 'corpus', 'text');
    const out = join(dir, 'tok.json');
    const r = pretext(
      'tokenizer',
      'train',
      '--corpus',
      corpus,
      '--type',
      'wordpiece',
      '--vocab-size',
      '120',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const enc = pretext('tokenizer', 'encode', '--tokenizer', out, 'hello world', '--tokens');
    const parsed = JSON.parse(enc.stdout);
    expect(parsed.tokens[0]).toBe('[CLS]');
    expect(parsed.input_ids).toHaveLength(parsed.word_ids.length);
  });

  it('a missing corpus is a one-line error and writes nothing', () => {
    const out = join(dir, 'tok2.json');
    expectUserError(pretext('tokenizer', 'train', '--corpus', join(dir, 'missing.txt'), '--out', out), /no such file/);
    expect(existsSync(out)).toBe(false);
  });
});
