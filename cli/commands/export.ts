// pretext export: a training run's newest checkpoint as the folder HF transformers' from_pretrained reads.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PretextError } from '../../src/errors.js';
import { maxPositions } from '../../src/eval/probe-items.js';
import { hfTokenizerFiles } from '../../src/export/hf-tokenizer-files.js';
import { parseModelConfig } from '../../src/model/index.js';
import { formatHelp, parseArgs, type FlagSpec } from '../args.js';
import { checkpointDir } from '../train-run.js';
import type { Command } from './command.js';

const flags: FlagSpec[] = [
  {
    name: 'run',
    type: 'string',
    help: 'a run folder written by pretext train (its newest checkpoint), or a checkpoint folder',
  },
  {
    name: 'format',
    type: 'string',
    default: 'hf',
    choices: ['hf'],
    help: 'hf: config.json, model.safetensors, tokenizer.json and the tokenizer files AutoTokenizer reads',
  },
  { name: 'out', type: 'string', help: 'output folder (written whole, then renamed into place)' },
  { name: 'overwrite', type: 'boolean', default: false, help: 'replace an existing --out' },
  { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' },
];

const USAGE = 'pretext export --run runs/NAME --out DIR [--format hf]';
const ABOUT = `Export a run's newest checkpoint in HF transformers' layout: config.json (with architectures and model_type),
model.safetensors, tokenizer.json, tokenizer_config.json, special_tokens_map.json, and vocab.txt (WordPiece) or
vocab.json + merges.txt (byte-level BPE) for the slow tokenizers. Models saved in a subfolder of the checkpoint
(e.g. ELECTRA's generator) are exported the same way into that subfolder. Trainer state and optimizer moments stay behind.
Exit codes: 0 done, 2 bad input, 1 internal error.`;

// Files of a checkpoint that belong to training, not to the model.
const TRAINING_ONLY = /^(trainer-state\.json|optimizer\..*)$/;

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    throw new PretextError(`cannot read ${path} as JSON`);
  }
}

/** Export one model folder (config.json + model.safetensors [+ tokenizer.json]) from `src` into `dst`. */
function exportModel(src: string, dst: string, tokenizerJson: object | undefined): string[] {
  const config = readJson(join(src, 'config.json'));
  const modelType = config.model_type;
  if (typeof modelType !== 'string' || !Array.isArray(config.architectures))
    throw new PretextError(`${join(src, 'config.json')} has no model_type and architectures: not a model config`);
  if (!existsSync(join(src, 'model.safetensors'))) throw new PretextError(`${src} has no model.safetensors`);
  mkdirSync(dst, { recursive: true });
  const written: string[] = [];
  for (const name of readdirSync(src)) {
    const path = join(src, name);
    if (TRAINING_ONLY.test(name)) continue;
    if (statSync(path).isDirectory()) {
      if (existsSync(join(path, 'config.json')))
        written.push(...exportModel(path, join(dst, name), tokenizerJson).map((f) => `${name}/${f}`));
      continue;
    }
    cpSync(path, join(dst, name));
    written.push(name);
  }
  if (tokenizerJson) {
    if (!existsSync(join(dst, 'tokenizer.json'))) {
      writeFileSync(join(dst, 'tokenizer.json'), JSON.stringify(tokenizerJson, null, 2) + '\n');
      written.push('tokenizer.json');
    }
    const maxLength = maxPositions(parseModelConfig(config)); // RoBERTa's: the rows after the padding row
    for (const [name, text] of Object.entries(hfTokenizerFiles(tokenizerJson, modelType, maxLength))) {
      writeFileSync(join(dst, name), text);
      written.push(name);
    }
  }
  return written.sort();
}

export const exportCommand: Command = {
  name: 'export',
  summary: "export a run's model in HF transformers' layout (from_pretrained)",
  async run(argv) {
    const args = parseArgs(argv, flags);
    const f = args.flags;
    if (f.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, flags));
      return 0;
    }
    if (args.positionals.length) throw new PretextError(`unexpected argument '${args.positionals[0]}'`);
    const run = f.run as string | undefined;
    const out = f.out as string | undefined;
    if (!run) throw new PretextError('--run is required (a folder written by pretext train)');
    if (!out) throw new PretextError('--out is required');
    if (existsSync(out) && !f.overwrite) throw new PretextError(`${out} exists; pass --overwrite to replace it`);
    const src = checkpointDir(run);
    const tokPath = join(src, 'tokenizer.json');
    const tokenizerJson = existsSync(tokPath) ? readJson(tokPath) : undefined;
    const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
    rmSync(tmp, { recursive: true, force: true });
    let files: string[];
    try {
      files = exportModel(src, tmp, tokenizerJson);
      if (existsSync(out)) rmSync(out, { recursive: true, force: true });
      renameSync(tmp, out);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    process.stderr.write(`pretext: exported ${src} to ${out}: ${files.join(', ')}\n`);
    return 0;
  },
};
