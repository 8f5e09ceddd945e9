// pretext train end to end (node dist/cli/main.js; `npm test` builds first): files, log rows, Ctrl-C then --resume
// equal to an uninterrupted run, and the one-line errors.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/index.js';
import { trainingNames } from '../../src/objectives/index.js';
import { createReferenceEngine } from '../../src/engine/reference/index.js';
import { cli, cliAsync, corpusDir, smallFlags, runLog } from '../train-cli.case.js';

let dir: string;
let corpus: string;
beforeAll(async () => ({ dir, corpus } = await corpusDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The log without the timing fields.
const stable = (run: string) => runLog(run).map(({ tokens_per_s, elapsed_s, rss_mb, ...r }) => r);

describe('pretext train', () => {
  it('writes run-config.json, log.jsonl rows and atomic checkpoints that load back', () => {
    const run = join(dir, 'mlm');
    const r = cli([
      'train',
      ...smallFlags(corpus, 'mlm'),
      '--steps',
      '12',
      '--eval-every',
      '5',
      '--save-every',
      '4',
      '--keep-checkpoints',
      '2',
      '--out',
      run,
    ]);
    expect(r.stderr).toContain('done at step 12');
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(run, 'run-config.json'), 'utf8'))).toMatchObject({
      objective: 'mlm',
      steps: 12,
      hiddenSize: 32,
      vocabSize: 600,
    });
    const log = runLog(run);
    expect(log.filter((x) => 'loss' in x).map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(log.filter((x) => 'val_loss' in x).map((x) => x.step)).toEqual([0, 5, 10, 12]);
    for (const x of log)
      expect(Object.keys(x).sort()).toEqual(
        'loss' in x
          ? ['elapsed_s', 'grad_norm', 'loss', 'lr', 'rss_mb', 'step', 'tokens_per_s']
          : ['step', 'val_accuracy', 'val_loss'],
      );
    expect(readdirSync(run).sort()).toEqual([
      'checkpoint-12',
      'checkpoint-8',
      'log.jsonl',
      'run-config.json',
      'tokenizer.json',
    ]);
    const ckpt = join(run, 'checkpoint-12');
    expect(readdirSync(ckpt).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'optimizer.safetensors',
      'tokenizer.json',
      'trainer-state.json',
    ]);
    const state = JSON.parse(readFileSync(join(ckpt, 'trainer-state.json'), 'utf8'));
    expect(state).toMatchObject({
      format: 'pretext-trainer-state',
      step: 12,
      optimizer: { file: 'optimizer.safetensors', step: 12 },
      config: { steps: 12 },
    });
    const model = loadModel(
      readFileSync(join(ckpt, 'config.json'), 'utf8'),
      new Uint8Array(readFileSync(join(ckpt, 'model.safetensors'))),
      createReferenceEngine(),
      { strict: true },
    );
    expect(model.config).toMatchObject({ model_type: 'bert', hidden_size: 32, vocab_size: 600 });
  });

  it('Ctrl-C saves after the current step and exits 130; --resume then equals the uninterrupted run', async () => {
    const flags = [
      ...smallFlags(corpus, 'clm'),
      '--steps',
      '150',
      '--eval-every',
      '25',
      '--save-every',
      '0',
      '--dropout',
      '0.1',
    ];
    const whole = join(dir, 'whole');
    expect(cli(['train', ...flags, '--out', whole]).status).toBe(0);

    const cut = join(dir, 'cut');
    const stopped = await cliAsync(['train', ...flags, '--out', cut], (child) => {
      const poll = setInterval(() => {
        const log = join(cut, 'log.jsonl');
        if (existsSync(log) && readFileSync(log, 'utf8').split('\n').length > 20) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    });
    expect(stopped.stderr).toContain('interrupted: saving a checkpoint');
    expect(stopped.status).toBe(130);
    const [ckpt] = readdirSync(cut).filter((n) => n.startsWith('checkpoint-'));
    const k = Number(ckpt.slice('checkpoint-'.length));
    expect(k).toBeGreaterThan(10);
    expect(k).toBeLessThan(150);

    const resumed = cli(['train', ...flags, '--out', cut, '--resume']);
    expect(resumed.stderr).toContain(`resuming at step ${k}`);
    expect(resumed.status).toBe(0);
    expect(stable(cut)).toEqual(stable(whole));
    const bytes = (run: string) => readFileSync(join(run, 'checkpoint-150', 'model.safetensors'));
    expect(bytes(cut).equals(bytes(whole))).toBe(true);
    const moments = (run: string) => readFileSync(join(run, 'checkpoint-150', 'optimizer.safetensors'));
    expect(moments(cut).equals(moments(whole))).toBe(true);
  });

  it.each([
    [['train'], 'pretext: --out is required (the run folder, e.g. runs/mlm-tiny)'],
    [['train', '--out', 'x', '--stpes', '3'], "pretext: unknown option '--stpes'; did you mean --steps? (see --help)"],
    [['train', '--out', 'x', '--lr', 'fast'], "pretext: --lr must be a number, got 'fast'"],
    [
      ['train', '--out', 'x', '--objective', 'nope'],
      `pretext: --objective must be one of ${trainingNames.join(', ')}, got 'nope'`,
    ],
    [
      ['train', '--out', 'x', '--preset', 'huge'],
      "pretext: --preset must be one of tiny, tiny-base, small, got 'huge'",
    ],
    [
      ['train', '--out', 'x', '--hidden-size', '100', '--num-heads', '3'],
      'pretext: --hidden-size 100 is not a multiple of --num-heads 3',
    ],
    [['train', '--out', 'x', '--corpus', 'no/such.jsonl'], 'pretext: no such file: no/such.jsonl'],
    [
      ['train', '--out', 'x', '--seq-len', '16', '--max-positions', '8'],
      'pretext: --seq-len 16 exceeds --max-positions 8',
    ],
    [
      ['train', '--out', 'x', '--loss-weights', 'xx'],
      "pretext: --loss-weights: 'xx' is not name=weight with a weight >= 0",
    ],
    [['train', '--out', 'x', '--grad-accum', '0'], 'pretext: --grad-accum must be at least 1, got 0'],
  ])('%j -> one line, exit 2, nothing written', (args, message) => {
    const out = args.indexOf('x');
    if (out >= 0) args[out] = join(dir, 'x');
    const r = cli(args);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.status).toBe(2);
  });

  it("refuses to overwrite a run, to resume nothing, and to change a resumed run's config", () => {
    const run = join(dir, 'mlm');
    const empty = join(dir, 'empty');
    const cases: [string[], string][] = [
      [
        ['train', ...smallFlags(corpus, 'mlm'), '--out', run],
        `pretext: ${run} already holds a run (at step 12); pass --resume to continue it, or --overwrite to replace it`,
      ],
      [['train', '--out', empty, '--resume'], `pretext: --resume: no run in ${empty} (run-config.json is missing)`],
      [
        ['train', '--out', run, '--resume', '--lr', '0.5'],
        'pretext: --lr is 0.5 but the run was started with 0.01; a resumed run keeps its config (it may change --steps, --eval-every, --save-every, --keep-checkpoints, --log-every, --engine, --threads)',
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.stderr).toBe(`${message}\n`);
      expect(r.status).toBe(2);
    }
  });

  it('--help lists every knob with the preset value as its default', () => {
    const r = cli(['train', '--help', '--preset', 'small']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--hidden-size <int>');
    expect(r.stdout).toMatch(/--hidden-size <int>\s+hidden size \(default: 256\)/);
    expect(r.stdout).toContain('--resume');
  });
});
