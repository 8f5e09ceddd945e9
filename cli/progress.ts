// Training progress on stderr: on a terminal one line rewritten in place; otherwise a line every `every` steps.
// Shows step, loss (mean since the last line), lr, tokens/s (recent steps) and ETA.

export interface ProgressOptions {
  total: number;
  /** the step the run starts from (resume) */
  start: number;
  tty: boolean;
  every: number;
  label: string;
  write?: (s: string) => void;
}

const WINDOW = 20;

/** 1h02m, 3m05s, 12s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export class Progress {
  private readonly write: (s: string) => void;
  private readonly times: number[] = [];
  private readonly tokens: number[] = [];
  private lossSum = 0;
  private lossN = 0;
  private live = false;

  constructor(private readonly o: ProgressOptions) {
    this.write = o.write ?? ((s) => process.stderr.write(s));
  }

  step(step: number, loss: number, lr: number, tokens: number, seconds: number): void {
    this.times.push(seconds);
    this.tokens.push(tokens);
    if (this.times.length > WINDOW) {
      this.times.shift();
      this.tokens.shift();
    }
    this.lossSum += loss;
    this.lossN++;
    if (this.o.tty) {
      this.write(`\r\x1b[K${this.line(step, lr)}`);
      this.live = true;
      this.lossSum = this.lossN = 0;
    } else if (step % this.o.every === 0 || step === this.o.total || step === this.o.start + 1) {
      this.write(`${this.line(step, lr)}\n`);
      this.lossSum = this.lossN = 0;
    }
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
    const perStep = secs / this.times.length;
    const tps = this.tokens.reduce((a, b) => a + b, 0) / secs;
    const width = 20;
    const filled = Math.round((width * step) / total);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const digits = String(total).length;
    return `${label} step ${String(step).padStart(digits)}/${total} ${bar} loss ${(this.lossSum / this.lossN).toFixed(4)}  lr ${lr.toExponential(2)}  ${Math.round(tps).toLocaleString('en-US')} tok/s  ETA ${formatDuration(perStep * (total - step))}`;
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
    const width = 20;
    const filled = Math.round((width * done) / total);
    const line = `${this.o.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${this.o.unit}  ETA ${formatDuration(done > 0 ? (secs / done) * (total - done) : Infinity)}`;
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
