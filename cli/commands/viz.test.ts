// pretext viz as a user runs it: every kind to SVG, PNG with fonts from npm only, one-line errors and no output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWellFormed, marks, texts } from '../../src/viz/svg.case.js';
import { createReferenceEngine } from '../../src/engine/reference/index.js';
import { createModel, electraConfig, saveModel } from '../../src/model/index.js';
import { loadTokenizer } from '../../src/tokenize/index.js';
import { rasterize } from '../png.js';

const main = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const fixtures = join(__dirname, '..', '..', 'test', 'fixtures', 'viz');
let dir: string;

function pretext(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function svgOf(...args: string[]): string {
  const out = join(dir, `${args[0]}.svg`);
  const r = pretext('viz', ...args, '--out', out);
  expect(r.code, r.stderr).toBe(0);
  const svg = readFileSync(out, 'utf8');
  expectWellFormed(svg);
  return svg;
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'pretext-viz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretext viz KIND --out FILE.svg', () => {
  it('attention: the default sentence, both masks', () => {
    const svg = svgOf('attention');
    expect(texts(svg)).toContain('Causal (CLM: GPT-2)');
    expect(marks(svg, 'rect mark').length % 2).toBe(0);
  });

  it('attention-prefix and attention-packed on a given text', () => {
    expect(texts(svgOf('attention-prefix', 'A short text to split.', '--seed', '4')).join(' ')).toMatch(
      /the first \d+ of \d+ tokens are the prefix/,
    );
    expect(texts(svgOf('attention-packed', 'One dog. Two cats. Three birds.'))).toContain('document 3');
  });

  it('targets, seeds, span-corruption, bart-infilling: token grids from the view show prints', () => {
    expect(texts(svgOf('targets', '--seed', '9')).join(' ')).toMatch(/loss on \d+ of \d+ positions/);
    const seeds = texts(svgOf('seeds', 'A dog ran across the wide green field.', '--seeds', '3', '--seed', '5'));
    for (const s of ['seed 5', 'seed 6', 'seed 7']) expect(seeds).toContain(s);
    expect(seeds).not.toContain('seed 8');
    const strategies = texts(svgOf('strategies')).join(' ');
    for (const s of ['tokens (BERT)', 'whole words', 'SpanBERT spans', 'ALBERT n-grams'])
      expect(strategies).toContain(s);
    expect(texts(svgOf('span-corruption')).some((t) => /^<extra_id_0>$/.test(t))).toBe(true);
    expect(texts(svgOf('bart-infilling'))).toContain('<mask>');
  });

  it('pairs: NSP by default, SOP with --objective sop, with provenance', () => {
    expect(texts(svgOf('pairs')).join(' ')).toMatch(/next_sentence_label = [01]/);
    expect(texts(svgOf('pairs', '--objective', 'sop')).join(' ')).toMatch(
      /sentence_order_label = [01] .*A = document 0 sentences/,
    );
  });

  it('split: measured over Brown documents through mlm', () => {
    const svg = svgOf('split', '--docs', '3');
    expect(marks(svg, 'bar')).toHaveLength(3);
    expect(texts(svg).join(' ')).toMatch(/Brown corpus, 3 documents/);
  });

  it('span-lengths: three samplers', () => {
    const svg = svgOf('span-lengths', '--draws', '1000');
    expect(texts(svg).join(' ')).toMatch(/BART: Poisson\(3\.5\), 0 = an insertion/);
  });

  it('loss: from run folders (log.jsonl)', () => {
    for (const run of ['a', 'b']) {
      mkdirSync(join(dir, run), { recursive: true });
      writeFileSync(
        join(dir, run, 'log.jsonl'),
        [1, 2, 3].map((s) => JSON.stringify({ step: s, loss: 5 - s })).join('\n') + '\n',
      );
    }
    const svg = svgOf('loss', join(dir, 'a'), join(dir, 'b'));
    expect(marks(svg, 'line mark')).toHaveLength(2);
    // the first rows of a real `pretext train --objective mlm` log: 11 step rows, validation at steps 0 and 10
    const real = svgOf('loss', join(fixtures, 'run-mlm'));
    expect(marks(real, 'line mark')).toHaveLength(2);
    expect(marks(real, 'point')).toHaveLength(2);
  });

  it('probe and electra: from the JSON shapes of docs/figures.md (fixtures)', () => {
    const probe = svgOf('probe', join(fixtures, 'probe-results.json'));
    expect(marks(probe, 'point')).toHaveLength(3);
    expect(marks(probe, 'tick')).toHaveLength(9);
    expect(texts(probe)).toContain('majority genre');
    const electra = svgOf('electra', join(fixtures, 'electra-scores.json'));
    expect(texts(electra).join(' ')).toContain('at 0.5: 1 of 1 replaced tokens caught, 9 of 9 originals passed');
  });
});

describe('electra --run: the scores of a saved discriminator', () => {
  it('scores each token of the text with a random-init ELECTRA checkpoint and marks what differs from --original', () => {
    const tokJson = readFileSync(join(__dirname, '..', '..', 'assets', 'tokenizers', 'brown-bert.json'), 'utf8');
    const v = loadTokenizer(tokJson).vocabInfo();
    const engine = createReferenceEngine();
    const model = createModel(
      electraConfig({
        vocab_size: v.vocabSize,
        embedding_size: 16,
        hidden_size: 32,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        intermediate_size: 64,
        max_position_embeddings: 64,
        pad_token_id: v.padId,
      }),
      engine,
      { seed: 4 },
    );
    const run = join(dir, 'electra-run');
    mkdirSync(run, { recursive: true });
    const { config, safetensors } = saveModel(model);
    writeFileSync(join(run, 'config.json'), config);
    writeFileSync(join(run, 'model.safetensors'), safetensors);
    writeFileSync(join(run, 'tokenizer.json'), tokJson);
    engine.dispose();
    const svg = svgOf('electra', 'the man saw the house', '--run', run, '--original', 'the man built the house');
    const t = texts(svg);
    expect(t).toContain('saw');
    expect(t).toContain('built');
    expect(t.filter((x) => /^[01]\.\d\d$/.test(x))).toHaveLength(7); // [CLS] + 5 words + [SEP], one score each
    expect(t.join(' ')).toMatch(/at 0\.5: [01] of 1 replaced tokens caught, \d of 6 originals passed/);
    expect(t.join(' ')).toContain(`discriminator of ${run}`);
    expect(marks(svg, 'rect mark').filter((c) => c.includes('replaced by the generator'))).toHaveLength(1);
    const r = pretext(
      'viz',
      'electra',
      'the man saw the house',
      '--run',
      run,
      '--original',
      'the man built a very big house',
      '--out',
      join(dir, 'y.svg'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--original has \d+ tokens and the text 7/);
  });
});

describe('PNG', () => {
  it('writes a PNG whose text is drawn with the npm font', () => {
    const out = join(dir, 'split.png');
    const r = pretext('viz', 'split', '--docs', '2', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const png = readFileSync(out);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(400); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(300); // IHDR height
  });

  it("a figure's title is drawn: dark pixels in the title's box, none in the blank margin", () => {
    const svg = readFileSync(join(dir, 'attention.svg'), 'utf8'); // written by the first test
    const r = rasterize(svg, 1);
    const darkIn = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (r.pixels[(y * r.width + x) * 4] < 100) n++;
      return n;
    };
    expect(darkIn(16, 16, 300, 38)).toBeGreaterThan(300); // "Who attends to whom: ..." at padding 16, 16 px bold
    expect(darkIn(0, 0, r.width, 10)).toBe(0); // the top padding
  });

  it('text renders without system fonts: dark pixels where a label is, none without one', () => {
    const svg = (label: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-family="DejaVu Sans" font-size="20">${label}</text></svg>`;
    const dark = (r: ReturnType<typeof rasterize>) => {
      let n = 0;
      for (let i = 0; i < r.pixels.length; i += 4) if (r.pixels[i] < 128) n++;
      return n;
    };
    const withText = rasterize(svg('80/10/10'), 1);
    expect(withText.width).toBe(200);
    expect(dark(withText)).toBeGreaterThan(100);
    expect(dark(rasterize(svg(''), 1))).toBe(0);
  });
});

describe('errors', () => {
  const expectUserError = (r: { code: number; stderr: string }, pattern: RegExp) => {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  };

  it('unknown kind, missing or bad --out, missing inputs: one line, exit 2, no file', () => {
    expectUserError(pretext('viz', 'pie', '--out', join(dir, 'x.svg')), /unknown figure kind 'pie'/);
    expectUserError(pretext('viz', 'attention'), /--out FILE.svg or FILE.png is required/);
    expectUserError(pretext('viz', 'attention', '--out', join(dir, 'x.pdf')), /--out must end in .svg or .png/);
    expectUserError(
      pretext('viz', 'attention', '--objective', 'nsp', '--out', join(dir, 'x.svg')),
      /--objective applies to the pairs figure/,
    );
    expectUserError(
      pretext('viz', 'pairs', '--objective', 'mlm', '--out', join(dir, 'x.svg')),
      /pairs: --objective must be nsp or sop, got 'mlm'/,
    );
    expectUserError(
      pretext('viz', 'split', '--run', join(dir, 'a'), '--out', join(dir, 'x.svg')),
      /--run and --original apply to the electra figure/,
    );
    expectUserError(
      pretext('viz', 'electra', '--run', join(dir, 'a'), 'text', '--out', join(dir, 'x.svg')),
      /has no checkpoint yet|electra: .* holds/,
    );
    expectUserError(pretext('viz', 'loss', join(dir, 'nowhere'), '--out', join(dir, 'x.svg')), /no log.jsonl in/);
    writeFileSync(join(dir, 'bad.json'), '{"task": "t", "results": [{"objective": "mlm", "seed": 0, "accuracy": 2}]}');
    expectUserError(
      pretext('viz', 'probe', join(dir, 'bad.json'), '--out', join(dir, 'x.svg')),
      /results\[0\].accuracy must be a number in \[0, 1\]/,
    );
    expect(existsSync(join(dir, 'x.svg'))).toBe(false);
  });
});
