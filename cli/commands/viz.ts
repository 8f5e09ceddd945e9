// pretext viz KIND [TEXT] --out FILE.svg|.png: one figure, drawn by src/viz (vega-lite), written as SVG or PNG.
import { extname } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { writeFileAtomic } from '../output.js';
import { vizKinds } from '../viz-kinds.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  { name: 'out', type: 'string', help: 'output file: .svg or .png (required)' },
  { name: 'seed', type: 'int', default: 0, help: 'random seed of the transforms and samplers' },
  { name: 'objective', alias: 'o', type: 'string', help: 'pairs: nsp or sop (default nsp)' },
  { name: 'seeds', type: 'int', default: 6, help: 'seeds: how many seeds to show (2..12)' },
  {
    name: 'run',
    type: 'string',
    help: 'electra: a run or checkpoint folder with an ELECTRA discriminator, to score TEXT',
  },
  { name: 'original', type: 'string', help: 'electra --run: the text before replacement, to mark the replaced tokens' },
  {
    name: 'tokenizer',
    type: 'string',
    help: "tokenizer.json (default: pretext's built-in tokenizer of the objective's family)",
  },
  { name: 'docs', type: 'int', default: 100, help: 'split: Brown documents to run through mlm (1..500)' },
  { name: 'draws', type: 'int', default: 20000, help: 'span-lengths: spans to draw per sampler' },
  { name: 'scale', type: 'number', default: 2, help: 'png: pixels per SVG unit' },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext viz KIND [TEXT | FILES] [--seed N] [--objective X] --out FILE.svg|.png';
const ABOUT = `Draw a figure. Kinds:\n${vizKinds.map((k) => `  ${k.name.padEnd(18)}${k.summary}`).join('\n')}`;

export const vizCommand: Command = {
  name: 'viz',
  summary: 'draw a figure (attention masks, 80/10/10, span lengths, loss curves, ...) as SVG or PNG',
  async run(argv) {
    const args = parseArgs(argv, flags);
    if (args.flags.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    const [name, ...rest] = args.positionals;
    if (!name) throw new PretextError(`give a figure kind (one of ${vizKinds.map((k) => k.name).join(', ')})`);
    const kind = vizKinds.find((k) => k.name === name);
    if (!kind)
      throw new PretextError(`unknown figure kind '${name}' (one of ${vizKinds.map((k) => k.name).join(', ')})`);
    const out = args.flags.out as string | undefined;
    if (!out) throw new PretextError('--out FILE.svg or FILE.png is required');
    const ext = extname(out).toLowerCase();
    if (ext !== '.svg' && ext !== '.png') throw new PretextError(`--out must end in .svg or .png, got '${out}'`);
    const docs = args.flags.docs as number;
    if (docs < 1 || docs > 500) throw new PretextError(`--docs must be in [1, 500], got ${docs}`);
    const draws = args.flags.draws as number;
    if (draws < 100 || draws > 1_000_000) throw new PretextError(`--draws must be in [100, 1000000], got ${draws}`);
    const seeds = args.flags.seeds as number;
    if (seeds < 2 || seeds > 12) throw new PretextError(`--seeds must be in [2, 12], got ${seeds}`);
    const objective = args.flags.objective as string | undefined;
    if (objective !== undefined && kind.name !== 'pairs')
      throw new PretextError(`--objective applies to the pairs figure (nsp or sop), not to ${kind.name}`);
    const run = args.flags.run as string | undefined;
    const original = args.flags.original as string | undefined;
    if ((run !== undefined || original !== undefined) && kind.name !== 'electra')
      throw new PretextError(`--run and --original apply to the electra figure, not to ${kind.name}`);
    const scale = args.flags.scale as number;
    if (!(scale > 0 && scale <= 8)) throw new PretextError(`--scale must be in (0, 8], got ${scale}`);
    const spec = await kind.build({
      args: rest,
      seed: args.flags.seed as number,
      objective,
      seeds,
      run,
      original,
      tokenizer: args.flags.tokenizer as string | undefined,
      docs,
      draws,
    });
    // vega and resvg load here, not when the CLI starts: every other command stays quick to start.
    const svg = await (await import('../../src/viz/render.js')).renderSvg(spec);
    writeFileAtomic(out, ext === '.svg' ? svg : (await import('../png.js')).svgToPng(svg, scale));
    process.stdout.write(`wrote ${out}\n`);
    return 0;
  },
};
