// `npm run build:web`, step 1 (after `npm run build`): the static assets the playground fetches from its own origin,
// into dist/web-assets/ (Vite's public folder): the built-in tokenizers, the compiled wasm engine, the Brown sample
// that `pretext show` draws other documents from (the same 12 documents, so pair objectives match the CLI), and
// run.json saying no run is attached (`pretext serve --run` answers it instead).
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist/web-assets');
const need = [
  'dist/cli/brown-sample.js',
  'dist/src/engine/wasm/engine.simd.wasm',
  'dist/src/engine/wasm/engine.relaxed.wasm',
];
const missing = need.filter((f) => !existsSync(join(ROOT, f)));
if (missing.length) {
  console.error(`build:web: missing ${missing.join(', ')}; run \`npm run build\` first`);
  process.exit(2);
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, 'tokenizers'), { recursive: true });
mkdirSync(join(OUT, 'engine'), { recursive: true });
for (const family of ['bert', 'gpt2', 't5', 'bart'])
  copyFileSync(join(ROOT, `assets/tokenizers/brown-${family}.json`), join(OUT, `tokenizers/brown-${family}.json`));
for (const build of ['simd', 'relaxed'])
  copyFileSync(join(ROOT, `dist/src/engine/wasm/engine.${build}.wasm`), join(OUT, `engine/engine.${build}.wasm`));
const { loadBrownSample } = await import(join(ROOT, 'dist/cli/brown-sample.js'));
const sample = (await loadBrownSample(12)).map((d) => ({ id: d.id, sentences: d.sentences, meta: d.meta }));
writeFileSync(join(OUT, 'brown-sample.json'), JSON.stringify(sample));
writeFileSync(join(OUT, 'run.json'), JSON.stringify({ available: false }));
console.log(`build:web: assets in ${OUT}`);
