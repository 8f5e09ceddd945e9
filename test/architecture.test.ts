// The import rules of STYLE.md, held by a test so they stay true: src/ is pure (no node:*, no DOM, no Math.random);
// layers import downward only (objectives never import model/ or engine/, model/ knows nothing of objectives); only
// cli/ and web/ touch files; engine internals are reached through the engine interface; no src/ file branches on
// an objective id. Test files (*.test.ts, *.case.ts) may cross layers: they are fixtures, not the product.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What each part of src/ may import besides itself and src/errors.ts, lowest first. A new folder under src/ needs
 * a line here (the test names it), which is where its place among the layers gets decided.
 */
const LAYERS: Record<string, readonly string[]> = {
  'errors.ts': [],
  rng: [],
  batch: [],
  corpus: ['rng'],
  tokenize: ['rng', 'batch'],
  engine: ['rng', 'batch'],
  model: ['engine', 'rng', 'batch'],
  objectives: ['batch', 'rng', 'tokenize', 'corpus'],
  view: ['objectives', 'tokenize', 'batch', 'rng', 'corpus'],
  prepare: ['corpus', 'tokenize', 'objectives', 'batch', 'rng'],
  export: ['tokenize'],
  config: ['objectives', 'model'],
  eval: ['model', 'engine', 'rng', 'tokenize', 'batch', 'objectives', 'corpus'],
  train: ['config', 'corpus', 'engine', 'model', 'objectives', 'rng', 'tokenize', 'batch', 'eval'],
  viz: ['view', 'eval', 'train', 'config', 'objectives', 'model', 'batch', 'tokenize', 'rng', 'corpus'],
  experiments: [
    'train',
    'eval',
    'viz',
    'view',
    'config',
    'objectives',
    'model',
    'engine',
    'batch',
    'tokenize',
    'rng',
    'corpus',
  ],
  'index.ts': ['*'],
};

/** Platform adapters of the wasm engine: the one place src/ meets a runtime, each chosen at run time by wasm/index.ts. */
const PLATFORM = new Set(['src/engine/wasm/platform-node.ts', 'src/engine/wasm/platform-browser.ts']);

const OBJECTIVE_IDS = [
  'mlm',
  'clm',
  'nsp',
  'sop',
  'span-corruption',
  'prefix-lm',
  'electra',
  'simcse',
  'bart-infilling',
  'mlm+nsp',
  'mlm+sop',
];

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'assembly') continue; // AssemblyScript: another language, compiled apart
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.ts$/.test(name) && !/\.(test|case)\.ts$/.test(name) && !name.endsWith('.d.ts'))
      out.push(relative(ROOT, p));
  }
  return out;
}

/** The code without comments (so a comment may name what the code must not do). */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"`;]*?from\s*'([^']+)'/g)) out.push(m[1]);
  for (const m of text.matchAll(/import\s*\(\s*(?:\/\*.*?\*\/\s*)?'([^']+)'\s*\)/g)) out.push(m[1]);
  for (const m of text.matchAll(/^\s*import\s*'([^']+)'/gm)) out.push(m[1]);
  return out;
}

/** The layer of a path under src/: its top folder, or the file itself for src/*.ts. */
const layerOf = (path: string): string => path.split('/')[1];

const srcFiles = files(join(ROOT, 'src'));
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

describe('architecture (STYLE.md boundaries)', () => {
  it('every part of src/ has a place among the layers', () => {
    const unknown = [...new Set(srcFiles.map(layerOf))].filter((l) => !(l in LAYERS));
    expect(unknown, 'add these to LAYERS in test/architecture.test.ts').toEqual([]);
  });

  it('src/ imports downward only: each layer only from the layers below it', () => {
    const bad: string[] = [];
    for (const f of srcFiles) {
      const from = layerOf(f);
      const allowed = LAYERS[from] ?? [];
      for (const s of specifiers(read(f))) {
        if (!s.startsWith('.')) continue;
        const target = relative(ROOT, resolve(ROOT, dirname(f), s)).replace(/\.js$/, '.ts');
        if (!target.startsWith('src/')) {
          bad.push(`${f} imports ${s} (outside src/)`);
          continue;
        }
        const to = layerOf(target);
        if (to === from || to === 'errors.ts' || allowed.includes('*') || allowed.includes(to)) continue;
        bad.push(`${f} (${from}) imports ${s} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the rules STYLE.md names hold by the table too', () => {
    expect(LAYERS.objectives).not.toContain('model');
    expect(LAYERS.objectives).not.toContain('engine');
    expect(LAYERS.model).not.toContain('objectives');
  });

  it('src/ is pure: no node:*, no npm package that touches files, no DOM, no Math.random', () => {
    const bad: string[] = [];
    for (const f of srcFiles) {
      if (PLATFORM.has(f)) continue;
      const text = code(read(f));
      for (const s of specifiers(text))
        if (s.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads'].includes(s))
          bad.push(`${f} imports ${s}`);
      if (/\bMath\.random\b/.test(text)) bad.push(`${f} uses Math.random (take an Rng)`);
      if (/\b(process\.(env|argv|stdout|stderr|exit)|require\s*\()/.test(text))
        bad.push(`${f} uses process or require`);
      if (
        /\b(globalThis\.)?(document\.(createElement|querySelector|getElementById|body)|localStorage|sessionStorage|HTMLElement)\b/.test(
          text,
        )
      )
        bad.push(`${f} touches the DOM`);
    }
    expect(bad).toEqual([]);
  });

  it("outside src/engine, engines are reached through engine.ts and the engines' index.ts only", () => {
    const bad: string[] = [];
    for (const f of [...srcFiles, ...files(join(ROOT, 'cli'))]) {
      if (f.startsWith('src/engine/')) continue;
      for (const s of specifiers(read(f))) {
        if (!s.startsWith('.')) continue;
        const target = relative(ROOT, resolve(ROOT, dirname(f), s));
        if (/^src\/engine\/(reference|wasm)\//.test(target) && !/\/index\.(js|ts)$/.test(target))
          bad.push(`${f} imports ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("no file under src/ outside an objective's own folder compares against an objective id", () => {
    const ids = OBJECTIVE_IDS.map((id) => id.replace('+', '\\+')).join('|');
    const compare = new RegExp(`((===|!==|==|!=|case)\\s*'(${ids})')|('(${ids})'\\s*(===|!==|==|!=))`);
    // HF's model_type 'electra' is a model family, not the objective
    const lines = (f: string) =>
      code(read(f))
        .split('\n')
        .filter((l) => !l.includes('model_type'));
    const bad = srcFiles.filter((f) => !/^src\/objectives\/[^/]+\//.test(f) && lines(f).some((l) => compare.test(l)));
    expect(bad).toEqual([]);
  });
});
