// The recipe sweep over the tiny preset: each recipe trains once on Brown through `pretext compare` (the same
// corpus, tokenizer, split and token budget for every recipe of an objective: each one's schedule runs to its end
// and its figures do not depend on the machine), then is scored on held-out documents: masked-token accuracy
// (fill-mask) for mlm, perplexity for clm. The default budgets are what one engine thread trained in the 5 minutes
// of the reference comparison (about 600 MLM and 240 CLM steps of 32 x 128 tokens). Recipes run --parallel at a
// time on --threads engine threads each; the table shows the seconds each took. Finished recipes are kept (compare
// skips them), and so are the rows of an earlier OUT/sweep.json at the same budgets: `--only` adds recipes to it.
//
//   node scripts/recipe-sweep.mjs [--mlm-tokens N] [--clm-tokens N] [--parallel 2] [--threads 1] [--only a,b]
//                                 [--out reports/sweep]
//
// Prints the table as Markdown and writes it, with every run's figures, to OUT/sweep.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// name, objective, knobs over the tiny preset (config.json keys)
const RECIPES = [
  ['mlm-base', 'mlm', {}],
  ['mlm-lr2e-3', 'mlm', { lr: 2e-3 }],
  ['mlm-lr2e-3-mask30', 'mlm', { lr: 2e-3, options: { maskProb: 0.3 } }],
  ['mlm-lr2e-3-mask40', 'mlm', { lr: 2e-3, options: { maskProb: 0.4 } }],
  ['mlm-lr2e-3-mask30-b16', 'mlm', { lr: 2e-3, batchSize: 16, options: { maskProb: 0.3 } }],
  ['mlm-lr2e-3-mask30-b8', 'mlm', { lr: 2e-3, batchSize: 8, options: { maskProb: 0.3 } }],
  ['mlm-lr3e-3-mask30-warm10', 'mlm', { lr: 3e-3, warmupRatio: 0.1, options: { maskProb: 0.3 } }],
  ['mlm-b16-L4', 'mlm', { lr: 2e-3, batchSize: 16, numLayers: 4, options: { maskProb: 0.3 } }],
  [
    'mlm-b16-C256',
    'mlm',
    { lr: 2e-3, batchSize: 16, hiddenSize: 256, numHeads: 4, ffnSize: 1024, options: { maskProb: 0.3 } },
  ],
  ['mlm-preln-b16', 'mlm', { model: 'pre-ln', lr: 2e-3, batchSize: 16, options: { maskProb: 0.3 } }],
  ['mlm-preln-lr4e-3-b16', 'mlm', { model: 'pre-ln', lr: 4e-3, batchSize: 16, options: { maskProb: 0.3 } }],
  // relative_key positions, and rows of 32 tokens (batch 32 x 32 = the tokens of batch 8 x 128); evaluated on
  // held-out windows of the model's 128 positions like every other recipe
  ['mlm-relkey-b8', 'mlm', { positionEmbedding: 'relative_key', lr: 2e-3, batchSize: 8, options: { maskProb: 0.3 } }],
  ['mlm-s32-b32', 'mlm', { seqLen: 32, lr: 2e-3, batchSize: 32, options: { maskProb: 0.3 } }],
  [
    'mlm-relkey-s32-b32',
    'mlm',
    { positionEmbedding: 'relative_key', seqLen: 32, lr: 2e-3, batchSize: 32, options: { maskProb: 0.3 } },
  ],
  [
    'mlm-relkey-s64-b16',
    'mlm',
    { positionEmbedding: 'relative_key', seqLen: 64, lr: 2e-3, batchSize: 16, options: { maskProb: 0.3 } },
  ],
  ['clm-base', 'clm', {}],
  ['clm-lr2e-3', 'clm', { lr: 2e-3 }],
  ['clm-lr3e-3', 'clm', { lr: 3e-3 }],
  ['clm-lr2e-3-b16', 'clm', { lr: 2e-3, batchSize: 16 }],
  ['clm-lr2e-3-b8', 'clm', { lr: 2e-3, batchSize: 8 }],
  // at batch 8: smaller batches, the learning rate, depth and FFN width (the LM head is most of a CLM step, so the
  // body is cheap to grow), the schedule's shape and warm-up, weight decay
  ['clm-lr2e-3-b4', 'clm', { lr: 2e-3, batchSize: 4 }],
  ['clm-lr1e-3-b8', 'clm', { lr: 1e-3, batchSize: 8 }],
  ['clm-lr3e-3-b8', 'clm', { lr: 3e-3, batchSize: 8 }],
  ['clm-b8-L4', 'clm', { lr: 2e-3, batchSize: 8, numLayers: 4 }],
  ['clm-b8-F1024', 'clm', { lr: 2e-3, batchSize: 8, ffnSize: 1024 }],
  ['clm-b8-cosine', 'clm', { lr: 2e-3, batchSize: 8, schedule: 'cosine' }],
  ['clm-b8-warm1', 'clm', { lr: 2e-3, batchSize: 8, warmupRatio: 0.01 }],
  ['clm-b8-wd0.1', 'clm', { lr: 2e-3, batchSize: 8, weightDecay: 0.1 }],
  ['clm-b8-warm10', 'clm', { lr: 2e-3, batchSize: 8, warmupRatio: 0.1 }],
  ['clm-b8-warm20', 'clm', { lr: 2e-3, batchSize: 8, warmupRatio: 0.2 }],
  ['clm-lr3e-3-b8-warm20', 'clm', { lr: 3e-3, batchSize: 8, warmupRatio: 0.2 }],
  ['clm-b8-beta95', 'clm', { lr: 2e-3, batchSize: 8, beta2: 0.95 }],
  ['clm-b8-warm30', 'clm', { lr: 2e-3, batchSize: 8, warmupRatio: 0.3 }],
  ['clm-b8-F1024-warm20', 'clm', { lr: 2e-3, batchSize: 8, ffnSize: 1024, warmupRatio: 0.2 }],
  ['clm-lr4e-3-b8-warm30', 'clm', { lr: 4e-3, batchSize: 8, warmupRatio: 0.3 }],
  ['clm-lr3e-3-b8-F1024-warm20', 'clm', { lr: 3e-3, batchSize: 8, ffnSize: 1024, warmupRatio: 0.2 }],
  ['clm-lr6e-3-b8-warm40', 'clm', { lr: 6e-3, batchSize: 8, warmupRatio: 0.4 }],
];

const EVAL = { mlm: 'fill-mask', clm: 'perplexity' };

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}
const tokens = { mlm: Number(flag('--mlm-tokens', 600 * 4096)), clm: Number(flag('--clm-tokens', 240 * 4096)) };
const parallel = Number(flag('--parallel', '2'));
const threads = Number(flag('--threads', '1'));
const out = flag('--out', 'reports/sweep');
const only = flag('--only', '').split(',').filter(Boolean);
const recipes = RECIPES.filter(([name]) => only.length === 0 || only.includes(name));
if (recipes.length === 0 || !Object.values(tokens).every((n) => Number.isInteger(n) && n > 0)) {
  process.stderr.write(
    `recipe-sweep: --only names none of ${RECIPES.map((r) => r[0]).join(', ')}, or a --*-tokens is not a positive integer\n`,
  );
  process.exit(2);
}

function compareArgs([name, objective, knobs]) {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'recipe.json');
  writeFileSync(config, `${JSON.stringify(knobs, null, 2)}\n`);
  const flags = {
    '--objectives': objective,
    '--tokens': tokens[objective],
    '--seeds': 1,
    '--evals': EVAL[objective],
    '--config': config,
    '--out': join(dir, 'compare'),
    '--threads': threads,
  };
  return ['dist/cli/main.js', 'compare', ...Object.entries(flags).flatMap(([k, v]) => [k, String(v)])];
}

function run(recipe) {
  return new Promise((resolve, reject) => {
    const child = spawn('node', compareArgs(recipe), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${recipe[0]}: exit ${code}\n${err}`))));
  });
}

async function sweep() {
  const queue = [...recipes];
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      process.stderr.write(`recipe-sweep: ${r[0]} (${tokens[r[1]]} tokens)\n`);
      await run(r);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

function row([name, objective, knobs]) {
  const file = join(out, name, 'compare', 'results.json');
  if (!existsSync(file)) return undefined;
  const [record] = Object.values(JSON.parse(readFileSync(file, 'utf8')).runs);
  const figure = record.evals[EVAL[objective]];
  return {
    recipe: name,
    objective,
    knobs,
    steps: record.trained.steps,
    tokens: record.trained.tokens,
    seconds: record.trained.seconds,
    metric: figure.metric,
    value: figure.value,
  };
}

try {
  await sweep();
} catch (err) {
  process.stderr.write(`recipe-sweep: ${err.message}\n`);
  process.exit(1);
}
// Rows of an earlier sweep.json in OUT at the same token budgets are kept for the recipes this run did not train
// (so --only adds rows to a sweep), in the order of RECIPES.
const file = join(out, 'sweep.json');
const earlier = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
const sameBudget = earlier && Object.entries(tokens).every(([k, n]) => earlier.tokens?.[k] === n);
const fresh = new Map(
  recipes
    .map(row)
    .filter(Boolean)
    .map((r) => [r.recipe, r]),
);
const kept = new Map(sameBudget ? earlier.rows.map((r) => [r.recipe, r]) : []);
const rows = RECIPES.map(([name]) => fresh.get(name) ?? kept.get(name)).filter(Boolean);
writeFileSync(file, `${JSON.stringify({ tokens, parallel, threads, rows }, null, 2)}\n`);
const knobText = (k) =>
  Object.entries({ ...k, ...k.options })
    .filter(([key]) => key !== 'options')
    .map(([key, v]) => `${key} ${v}`)
    .join(', ') || 'tiny preset';
const lines = [
  `| recipe | knobs over tiny | steps | tokens | seconds | held-out figure |`,
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.recipe} | ${knobText(r.knobs)} | ${r.steps} | ${(r.tokens / 1e6).toFixed(2)} M | ${r.seconds.toFixed(0)} | ${r.metric} ${r.metric === 'accuracy' ? `${(100 * r.value).toFixed(1)}%` : r.value.toFixed(1)} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
