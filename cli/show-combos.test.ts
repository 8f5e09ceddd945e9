// `show` runs every valid option combination (issue 7): pairs with whole-word or SpanBERT masking get word ids,
// simcse --mode supervised takes anchor, positive and hard negative from the text's sentences.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const main = join(__dirname, '..', 'dist', 'cli', 'main.js');
const TEXT = 'The cat sat on the mat. It was a sunny day. The dog slept by the door.';

function show(...args: string[]) {
  const r = spawnSync(process.execPath, [main, 'show', ...args, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('show: combinations', () => {
  it.each([
    ['nsp', '--whole-word'],
    ['sop', '--whole-word'],
    ['nsp', '--span-masking=spanbert'],
    ['sop', '--span-masking=spanbert'],
  ])('%s %s', (objective, flag) => {
    const r = show(TEXT, '--objective', objective, ...flag.split('='), '--seed', '1', '--mask-prob', '0.5');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((x) => x.labels.some((y: number) => y !== -100))).toBe(true);
  });

  it('simcse --mode supervised: anchor, positive and hard negative are the first three sentences', () => {
    const r = show(TEXT, '--objective', 'simcse', '--mode', 'supervised');
    expect(r.stderr).toBe('');
    const [row] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(row.positive_input_ids.length).toBeGreaterThan(0);
    expect(row.negative_input_ids.length).toBeGreaterThan(0);
    expect(row.input_ids).not.toEqual(row.positive_input_ids);
  });

  it('simcse --mode supervised on one sentence says what it needs', () => {
    const r = show('Just one sentence.', '--objective', 'simcse', '--mode', 'supervised');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pretext: .*three sentences/);
  });
});
