// Refresh the generated tables in README.md: the options table (`pretext objectives --markdown`) and the
// transform benchmark (`npm run bench -- --json`, run now) and the reference comparison (`pretext compare --markdown`
// of docs/reference-compare/results.json). Usage: node scripts/readme-tables.mjs [--no-bench]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');
const block = (name, body) => `<!-- ${name}:start -->\n${body.trim()}\n<!-- ${name}:end -->`;
const replace = (text, name, body) => {
  const re = new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->|${name.toUpperCase().replace('-', '_')}`);
  if (!re.test(text)) throw new Error(`README.md has no ${name} block`);
  return text.replace(re, block(name, body));
};

let out = replace(
  readme,
  'options-table',
  execFileSync('node', ['dist/cli/main.js', 'objectives', '--markdown'], { encoding: 'utf8' }),
);
if (!process.argv.includes('--no-bench')) {
  const r = JSON.parse(execFileSync('node', ['dist/bench/transforms.js', '--json'], { encoding: 'utf8' }));
  const rows = Object.entries(r).map(
    ([id, x]) =>
      `| \`${id}\` | ${(x.tokens_per_s / 1e6).toFixed(1)} M | ${x.baseline_tokens_per_s ? (x.baseline_tokens_per_s / 1e6).toFixed(1) + ' M' : '—'} | ${x.ratio === null ? '—' : x.ratio + 'x'} | ${x.reference} |`,
  );
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\` (Node ${process.version}, this machine class: 2 cores, no GPU):`,
    '',
    '| objective | tokens/s | baseline | ratio | baseline from |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  out = replace(out, 'bench-table', table);
}
out = replace(
  out,
  'reference-compare',
  execFileSync('node', ['dist/cli/main.js', 'compare', '--markdown', '--out', 'docs/reference-compare'], {
    encoding: 'utf8',
  }),
);
writeFileSync('README.md', out);
