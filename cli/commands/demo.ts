// pretext demo (npm start): a short tour, every objective shown on Brown text.
import { objectives } from '../../src/objectives/index.js';
import { formatHelp, helpFlag, parseArgs, type FlagSpec } from '../args.js';
import { loadBrownSample } from '../brown-sample.js';
import type { Command } from './command.js';
import { showCommand } from './show.js';

const flags: FlagSpec[] = [
  { name: 'seed', type: 'int', default: 7, min: 0, help: 'random seed for every objective' },
  helpFlag,
];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'a tour: every objective shown on a Brown corpus passage',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp('pretext demo [--seed N]', 'Show every objective on text from the Brown corpus (the built-in corpus).', flags));
      return 0;
    }
    const [doc] = await loadBrownSample(1);
    const sentence = doc.sentences[0];
    const passage = doc.sentences.slice(0, 4).join(' ');
    process.stdout.write(`pretext tour — Brown corpus document ${doc.id} (${doc.meta.genre})\n\n`);
    for (const o of objectives) {
      const text = o.needs.documents ? passage : sentence;
      process.stdout.write(`${'─'.repeat(30)} ${o.id} ${'─'.repeat(Math.max(0, 40 - o.id.length))}\n`);
      const code = await showCommand.run([text, '--objective', o.id, '--seed', String(args.flags.seed)]);
      if (code !== 0) return code;
    }
    process.stdout.write('Try: pretext show "your text" --objective NAME [--seed N] [--json]; pretext --help\n');
    return 0;
  },
};
