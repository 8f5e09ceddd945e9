// prepare's progress line on stderr: documents, tokens, tokens/s and an ETA from the share of the input read
// (characters of text seen against the input's size, an estimate for non-ASCII text and Parquet).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration, progressBar } from '../progress.js';

const BROWN_DOCUMENTS = 500;

function inputSize(corpus: string): number | undefined {
  if (corpus === 'brown') return undefined;
  const st = statSync(corpus, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isFile()) return st.size;
  let total = 0;
  for (const e of readdirSync(corpus, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.toLowerCase().endsWith('.txt')) total += statSync(join(e.parentPath, e.name)).size;
  }
  return total;
}

export class PrepareProgress {
  private readonly start = performance.now();
  private readonly size: number | undefined;
  private chars = 0;
  private last = 0;
  private live = false;

  constructor(
    private readonly corpus: string,
    private readonly tty: boolean,
    private readonly write: (s: string) => void = (s) => process.stderr.write(s),
  ) {
    this.size = inputSize(corpus);
  }

  update(documents: number, tokens: number, chars: number): void {
    this.chars += chars;
    const now = performance.now();
    if (now - this.last < (this.tty ? 200 : 10_000)) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const done =
      this.corpus === 'brown'
        ? documents / BROWN_DOCUMENTS
        : this.size
          ? Math.min(1, this.chars / this.size)
          : undefined;
    const bar = done === undefined ? '' : `${progressBar(done, 1)} ${(100 * done).toFixed(0)}%  `;
    const eta = done && done > 0 ? `  ETA ${formatDuration((secs * (1 - done)) / done)}` : '';
    const line = `prepare ${bar}${documents.toLocaleString('en-US')} docs  ${tokens.toLocaleString('en-US')} tokens  ${Math.round(tokens / secs).toLocaleString('en-US')} tok/s${eta}`;
    this.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
    this.live = this.tty;
  }

  note(text: string): void {
    this.write(this.live ? `\r\x1b[K${text}\n` : `${text}\n`);
    this.live = false;
  }

  finish(): void {
    if (this.live) this.write('\n');
    this.live = false;
  }
}
