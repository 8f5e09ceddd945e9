// The CLI's commands, in the order `pretext --help` lists them.
import type { Command } from './command.js';
import { demoCommand } from './demo.js';
import { showCommand } from './show.js';
import { tokenizerCommand } from './tokenizer.js';
import { transformCommand } from './transform.js';

export const commands: readonly Command[] = [showCommand, transformCommand, tokenizerCommand, demoCommand];
