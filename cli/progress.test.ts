import { describe, expect, it } from 'vitest';
import { formatDuration, Progress } from './progress.js';

describe('progress', () => {
  it('formats durations', () => {
    expect([5, 65, 3725, 2 * 86400 + 7200, 400 * 86400, Infinity].map(formatDuration)).toEqual([
      '5s',
      '1m05s',
      '1h02m',
      '2d02h',
      '1y035d',
      '?',
    ]);
  });

  it('not a terminal: the first step, every K steps and the last, loss averaged over the last 20 steps', () => {
    const out: string[] = [];
    const p = new Progress({ total: 10, start: 0, tty: false, every: 4, label: 'mlm', write: (s) => out.push(s) });
    for (let s = 1; s <= 10; s++) p.step(s, s, 1e-3, 1000, 0.5);
    p.note('  step 10: val_loss 1');
    p.finish();
    expect(out.map((l) => l.match(/step +(\d+)\/10/)?.[1] ?? l.trim())).toEqual([
      '1',
      '4',
      '8',
      '10',
      'step 10: val_loss 1',
    ]);
    expect(out[1]).toContain('loss(mean20) 2.5000'); // mean of 1, 2, 3, 4
    expect(out[0]).toMatch(
      /^mlm step {2}1\/10 \[##-{18}\] loss\(mean20\) 1\.0000 {2}lr 1\.00e-3 {2}2,000 tok\/s {2}ETA 5s\n$/,
    );
  });

  it('retarget: after a replan the bar, the ETA and the last line count to the new total', () => {
    const out: string[] = [];
    const p = new Progress({ total: 20, start: 0, tty: false, every: 100, label: 'mlm', write: (s) => out.push(s) });
    for (let s = 1; s <= 4; s++) p.step(s, 1, 1e-3, 1000, 0.5);
    p.retarget(8);
    for (let s = 5; s <= 8; s++) p.step(s, 1, 1e-3, 1000, 0.5);
    expect(out).toHaveLength(2); // the first step, and the last of the new total
    expect(out[0]).toContain('step  1/20');
    expect(out[1]).toMatch(/step 8\/8 \[#{20}\].*ETA 0s/);
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

  it('the mean covers the last 20 steps only', () => {
    const out: string[] = [];
    const p = new Progress({ total: 40, start: 0, tty: false, every: 40, label: 'mlm', write: (s) => out.push(s) });
    for (let s = 1; s <= 40; s++) p.step(s, s <= 20 ? 100 : 1, 1e-3, 1000, 0.5);
    expect(out.at(-1)).toContain('loss(mean20) 1.0000');
  });

  it('an unreasonable ETA is called out once, after three steps, with the --steps that fit a day', () => {
    const out: string[] = [];
    const p = new Progress({ total: 1e12, start: 0, tty: false, every: 1e9, label: 'mlm', write: (s) => out.push(s) });
    for (let s = 1; s <= 6; s++) p.step(s, 2, 1e-3, 1000, 0.5);
    const warnings = out.filter((l) => l.includes('warning'));
    expect(warnings).toEqual([
      '  warning: at 500 ms a step, 1,000,000,000,000 steps take 15,854y327d; --steps 172800 fits a day\n',
    ]);
    const short: string[] = [];
    const q = new Progress({ total: 100, start: 0, tty: false, every: 10, label: 'mlm', write: (s) => short.push(s) });
    for (let s = 1; s <= 5; s++) q.step(s, 2, 1e-3, 1000, 0.5);
    expect(short.some((l) => l.includes('warning'))).toBe(false);
  });
});
