// log.jsonl: one JSON object per line, appended as training goes. A resumed run first drops rows past the step it
// resumes from (written after that checkpoint by the run that stopped), so the log reads as one uninterrupted run.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { PretextError } from '../src/errors.js';
import type { TrainEvent } from '../src/train/index.js';
import { writeFileAtomic } from './output.js';

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** {step, loss, lr, tokens_per_s, elapsed_s, rss_mb, grad_norm}. */
export function stepRow(
  ev: Extract<TrainEvent, { type: 'step' }>,
  elapsedS: number,
  rssBytes: number,
): Record<string, number> {
  return {
    step: ev.step,
    loss: ev.loss,
    lr: ev.lr,
    tokens_per_s: round(ev.tokens / ev.seconds, 1),
    elapsed_s: round(elapsedS, 3),
    rss_mb: round(rssBytes / 1048576, 1),
    grad_norm: round(ev.gradNorm, 5),
  };
}

/** An evaluation's figures besides val_loss, in the model family's order: [['val_accuracy', 0.12], ...]. */
export function evalFigures(ev: Extract<TrainEvent, { type: 'eval' }>): [string, number][] {
  return Object.entries(ev).filter((e): e is [string, number] => e[0].startsWith('val_') && e[0] !== 'val_loss');
}

/** {step, val_loss, val_<figure>...}: val_accuracy (BERT), val_ppl (GPT-2), val_pair_accuracy (BertForPreTraining), .... */
export function evalRow(ev: Extract<TrainEvent, { type: 'eval' }>): Record<string, number> {
  return { step: ev.step, val_loss: ev.val_loss, ...Object.fromEntries(evalFigures(ev)) };
}

export class TrainLog {
  private fd: number;

  /** A new log, or (resumeStep given) the existing one cut after resumeStep. */
  constructor(
    readonly path: string,
    resumeStep?: number,
  ) {
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
