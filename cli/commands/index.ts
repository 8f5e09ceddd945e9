// The CLI's commands, in the order `pretext --help` lists them.
import type { Command } from './command.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { inspectCommand } from './inspect.js';
import { objectivesCommand } from './objectives.js';
import { evalCommand } from './eval.js';
import { generateCommand } from './generate.js';
import { predictCommand } from './predict.js';
import { prepareCommand } from './prepare.js';
import { serveCommand } from './serve.js';
import { showCommand } from './show.js';
import { tokenizerCommand } from './tokenizer.js';
import { trainCommand } from './train.js';
import { transformCommand } from './transform.js';
import { vizCommand } from './viz.js';

export const commands: readonly Command[] = [
  showCommand,
  transformCommand,
  tokenizerCommand,
  objectivesCommand,
  trainCommand,
  predictCommand,
  prepareCommand,
  exportCommand,
  inspectCommand,
  generateCommand,
  evalCommand,
  compareCommand,
  vizCommand,
  serveCommand,
  demoCommand,
];
