// log.jsonl: one JSON object per line, appended as training goes. A resumed run first drops rows past the step it
// resumes from (written after that checkpoint by the run that stopped), so the log reads as one uninterrupted run.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { PretextError } from '../src/errors.js';
import { writeFileAtomic } from './output.js';

export class TrainLog {
  private fd: number;

  /** A new log, or (resumeStep given) the existing one cut after resumeStep. */
  constructor(readonly path: string, resumeStep?: number) {
    if (resumeStep !== undefined && existsSync(path)) {
      const keep = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && rowStep(line) <= resumeStep);
      writeFileAtomic(path, keep.map((l) => `${l}\n`).join(''));
    }
    try {
      this.fd = openSync(path, resumeStep === undefined ? 'w' : 'a');
    } catch (e) {
      throw new PretextError(`cannot write ${path}: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  write(row: Record<string, unknown>): void {
    writeSync(this.fd, `${JSON.stringify(row)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function rowStep(line: string): number {
  try {
    const step = (JSON.parse(line) as { step?: unknown }).step;
    return typeof step === 'number' ? step : Infinity;
  } catch {
    return Infinity;
  }
}
