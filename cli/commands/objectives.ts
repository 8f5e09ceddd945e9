// pretext objectives: every objective with its options and defaults (`--markdown` prints the README's table).
import { objectives } from '../../src/objectives/index.js';
import { formatHelp, helpFlag, kebab, parseArgs, type FlagSpec } from '../args.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'markdown', type: 'boolean', default: false, help: 'print a markdown table (as in the README)' },
  helpFlag,
];

const cell = (s: string) => s.replace(/\|/g, '\\|');

export const objectivesCommand: Command = {
  name: 'objectives',
  summary: 'list the objectives, their options and defaults',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(
        formatHelp(
          'pretext objectives [--markdown]',
          'List every objective with its options (CLI flags) and defaults.',
          flags,
        ),
      );
      return 0;
    }
    const out: string[] = [];
    for (const o of objectives) {
      if (args.flags.markdown) {
        out.push(
          `#### \`${o.id}\` — ${o.title}`,
          '',
          o.summary,
          '',
          '| flag | default | meaning |',
          '| --- | --- | --- |',
        );
        for (const s of o.options) {
          const def = s.default === undefined ? '—' : `\`${s.default}\``;
          out.push(
            `| \`--${kebab(s.key)}\`${s.choices ? ` (${s.choices.map((c) => `\`${c}\``).join(', ')})` : ''} | ${def} | ${cell(s.help)} |`,
          );
        }
        out.push('');
      } else {
        out.push(`${o.id} — ${o.title}`, `  ${o.summary}`);
        for (const s of o.options)
          out.push(`    --${kebab(s.key).padEnd(24)} ${String(s.default ?? '-').padEnd(12)} ${s.help}`);
        out.push('');
      }
    }
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};
