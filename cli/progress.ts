// Training progress on stderr: on a terminal one line rewritten in place; otherwise a line every `every` steps.
// Shows step, loss(mean20) (the mean of log.jsonl's per-step loss over the last 20 steps), lr, tokens/s (same
// steps) and ETA; an ETA beyond a week is called out once, with the --steps that would fit a day.

export interface ProgressOptions {
  total: number;
  /** the step the run starts from (resume) */
  start: number;
  tty: boolean;
  every: number;
  label: string;
  write?: (s: string) => void;
}

/** Steps the loss mean and the speed are taken over. */
export const WINDOW = 20;
const DAY = 86400;

/** 3y120d, 12d04h, 1h02m, 3m05s, 12s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / DAY);
  if (d >= 365) return `${Math.floor(d / 365).toLocaleString('en-US')}y${String(d % 365).padStart(3, '0')}d`;
  if (d > 0) return `${d}d${String(Math.floor((s % DAY) / 3600)).padStart(2, '0')}h`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** `[#####---------------]`: `done` of `total` as a bar of `width` cells. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = Math.round((width * done) / total);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export class Progress {
  private readonly write: (s: string) => void;
  private readonly times: number[] = [];
  private readonly tokens: number[] = [];
  private readonly losses: number[] = [];
  private live = false;
  private warned = false;

  constructor(private readonly o: ProgressOptions) {
    this.write = o.write ?? ((s) => process.stderr.write(s));
  }

  /** The run's length changed (compare's replan): the bar and the ETA count to `total` from now on. */
  retarget(total: number): void {
    this.o.total = total;
  }

  step(step: number, loss: number, lr: number, tokens: number, seconds: number): void {
    this.times.push(seconds);
    this.tokens.push(tokens);
    this.losses.push(loss);
    if (this.times.length > WINDOW) {
      this.times.shift();
      this.tokens.shift();
      this.losses.shift();
    }
    if (this.o.tty) {
      this.write(`\r\x1b[K${this.line(step, lr)}`);
      this.live = true;
    } else if (step % this.o.every === 0 || step === this.o.total || step === this.o.start + 1) {
      this.write(`${this.line(step, lr)}\n`);
    }
    if (step - this.o.start === Math.min(3, this.o.total - this.o.start)) this.warnIfLong(step);
  }

  /** Once, after a few steps: a run that would take over a week says so. */
  private warnIfLong(step: number): void {
    const perStep = this.secondsPerStep();
    const eta = perStep * (this.o.total - step);
    if (this.warned || !(eta > 7 * DAY)) return;
    this.warned = true;
    const fit = Math.max(1, Math.floor(DAY / perStep));
    this.note(
      `  warning: at ${perStep < 1 ? `${(perStep * 1000).toFixed(0)} ms` : `${perStep.toFixed(1)} s`} a step, ${this.o.total.toLocaleString('en-US')} steps take ${formatDuration(eta)}; --steps ${fit.toLocaleString('en-US').replace(/,/g, '')} fits a day`,
    );
  }

  private secondsPerStep(): number {
    return this.times.reduce((a, b) => a + b, 0) / this.times.length;
  }

  /** A line of its own (validation, checkpoint), above the live line. */
  note(text: string): void {
    this.write(this.live ? `\r\x1b[K${text}\n` : `${text}\n`);
    this.live = false;
  }

  /** End the live line. */
  finish(): void {
    if (this.live) this.write('\n');
    this.live = false;
  }

  private line(step: number, lr: number): string {
    const { total, label } = this.o;
    const secs = this.times.reduce((a, b) => a + b, 0);
    const perStep = this.secondsPerStep();
    const tps = this.tokens.reduce((a, b) => a + b, 0) / secs;
    const meanLoss = this.losses.reduce((a, b) => a + b, 0) / this.losses.length;
    const bar = progressBar(step, total);
    const digits = String(total).length;
    return `${label} step ${String(step).padStart(digits)}/${total} ${bar} loss(mean${WINDOW}) ${meanLoss.toFixed(4)}  lr ${lr.toExponential(2)}  ${Math.round(tps).toLocaleString('en-US')} tok/s  ETA ${formatDuration(perStep * (total - step))}`;
  }
}

/** Progress of a long evaluation on stderr: `label [####----] done/total unit ETA`, rewritten on a terminal, else a line every 10%. */
export class CountProgress {
  private readonly write: (s: string) => void;
  private readonly t0 = performance.now();
  private shown = -1;
  private live = false;

  constructor(private readonly o: { label: string; unit: string; tty: boolean; write?: (s: string) => void }) {
    this.write = o.write ?? ((s) => process.stderr.write(s));
  }

  update(done: number, total: number): void {
    const tenth = Math.floor((10 * done) / total);
    if (!this.o.tty && tenth === this.shown) return;
    this.shown = tenth;
    const secs = (performance.now() - this.t0) / 1000;
    const line = `${this.o.label} ${progressBar(done, total)} ${done}/${total} ${this.o.unit}  ETA ${formatDuration(done > 0 ? (secs / done) * (total - done) : Infinity)}`;
    if (this.o.tty) {
      this.write(`\r\x1b[K${line}`);
      this.live = true;
    } else this.write(`${line}\n`);
  }

  finish(): void {
    if (this.live) this.write('\n');
    this.live = false;
  }
}
