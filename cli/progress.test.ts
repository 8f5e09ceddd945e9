import { describe, expect, it } from 'vitest';
import { formatDuration, Progress } from './progress.js';

describe('progress', () => {
  it('formats durations', () => {
    expect([5, 65, 3725, Infinity].map(formatDuration)).toEqual(['5s', '1m05s', '1h02m', '?']);
  });

  it('not a terminal: the first step, every K steps and the last, loss averaged since the previous line', () => {
    const out: string[] = [];
    const p = new Progress({ total: 10, start: 0, tty: false, every: 4, label: 'mlm', write: (s) => out.push(s) });
    for (let s = 1; s <= 10; s++) p.step(s, s, 1e-3, 1000, 0.5);
    p.note('  step 10: val_loss 1');
    p.finish();
    expect(out.map((l) => l.match(/step +(\d+)\/10/)?.[1] ?? l.trim())).toEqual(['1', '4', '8', '10', 'step 10: val_loss 1']);
    expect(out[1]).toContain('loss 3.0000'); // mean of 2, 3, 4
    expect(out[0]).toMatch(/^mlm step  1\/10 \[##-{18}\] loss 1\.0000 {2}lr 1\.00e-3 {2}2,000 tok\/s {2}ETA 5s\n$/);
  });

  it('a terminal: one line rewritten in place; notes go above it', () => {
    const out: string[] = [];
    const p = new Progress({ total: 3, start: 0, tty: true, every: 1, label: 'clm', write: (s) => out.push(s) });
    p.step(1, 2, 1e-3, 100, 1);
    p.note('saved');
    p.step(2, 2, 1e-3, 100, 1);
    p.finish();
    expect(out.map((s) => s.slice(0, 12))).toEqual(['\r\x1b[Kclm step', '\r\x1b[Ksaved\n', '\r\x1b[Kclm step', '\n']);
  });
});
