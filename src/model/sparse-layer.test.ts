// BERT's sparse last layer (with labels, the row-wise part after attention runs only at the rows the heads read)
// against the dense path (forward(..., { hidden: true })): with dropout 0 the loss, logits and every parameter
// gradient agree to 1e-6 relative on the reference and wasm engines, with padding, rows without labels, labels at the
// first and last positions, the NSP head's [CLS] rows, and no labels at all; pre-LN (RoBERTa-PreLayerNorm) too, its
// final LayerNorm at the selected rows. Also: the work really shrinks,
// activations are allocated by selected rows with headroom (none per step), and dHidden needs the dense path.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { createReferenceEngine } from '../engine/reference/index.js';
import { Rng } from '../rng/rng.js';
import { BertModel } from './bert.js';
import { bertConfig, robertaPreLayerNormConfig, type BertArchitecture } from './config.js';
import { relErr } from './goldens.case.js';
import type { ModelBatch } from './model.js';

const [B, T, V, C, F] = [4, 8, 40, 16, 32];
const TOLERANCE = 1e-6;

const PRE_LN = 'RobertaPreLayerNormForMaskedLM';
const make = (e: Engine, arch: BertArchitecture, p = 0) =>
  new BertModel(
    (arch === PRE_LN ? robertaPreLayerNormConfig : bertConfig)({
      architectures: [arch],
      vocab_size: V,
      hidden_size: C,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: F,
      max_position_embeddings: arch === PRE_LN ? T + 2 : T, // pre-LN: pad_token_id 1, positions from row 2
      hidden_dropout_prob: p,
      attention_probs_dropout_prob: p,
      initializer_range: 0.2,
    }),
    e,
    { seed: 3 },
  );

// Row 0: labels at its first and last positions; row 1: padded after 5 tokens, labelled up to its last real one;
// row 2: no labels; row 3: labels in the middle (or at every [CLS] row with `clsLabelled`).
function batch(clsLabelled = false, seed = 0): ModelBatch {
  const rng = Rng.of(seed, 0, 0, 'sparse-layer');
  const input_ids = Int32Array.from({ length: B * T }, () => 1 + rng.int(V - 1));
  const attention_mask = Uint8Array.from({ length: B * T }, (_, i) => (i >= T + 5 && i < 2 * T ? 0 : 1));
  const labelled = [0, 3, T - 1, T + 1, T + 4, 3 * T + 2, 3 * T + 5];
  const labels = Int32Array.from(input_ids, (id, i) =>
    labelled.includes(i) || (clsLabelled && i % T === 0) ? id : -100,
  );
  const token_type_ids = Int32Array.from({ length: B * T }, (_, i) => (i % T >= 4 ? 1 : 0));
  return {
    batchSize: B,
    length: T,
    input_ids,
    attention_mask,
    token_type_ids,
    labels,
    next_sentence_label: Int32Array.of(0, 1, 1, 0),
  };
}

interface Result {
  loss: number;
  logits: Float32Array;
  grads: Float32Array[];
}

function step(model: BertModel, b: ModelBatch, dense: boolean): Result {
  model.zeroGrad();
  const out = model.forward(b, { hidden: dense, logits: true });
  expect(out.hidden === undefined).toBe(!dense);
  const logits = Float32Array.from(out.logits ?? []);
  model.backward();
  return { loss: out.loss as number, logits, grads: model.parameters().map((p) => Float32Array.from(p.grad)) };
}

const cases: [string, BertArchitecture, () => ModelBatch][] = [
  ['BertForMaskedLM: the head reads the sparse rows directly', 'BertForMaskedLM', () => batch()],
  ['BertForPreTraining: [CLS] rows added, the head gathers its rows', 'BertForPreTraining', () => batch()],
  [
    'BertForPreTraining: every [CLS] row labelled, the head reads the rows directly',
    'BertForPreTraining',
    () => batch(true),
  ],
  [
    'BertForMaskedLM: no labels at all (no selected rows)',
    'BertForMaskedLM',
    () => ({ ...batch(), labels: new Int32Array(B * T).fill(-100) }),
  ],
  ['pre-LN: the head reads the sparse rows (after the final LayerNorm) directly', PRE_LN, () => batch()],
  [
    'pre-LN: no labels at all (no selected rows)',
    PRE_LN,
    () => ({ ...batch(), labels: new Int32Array(B * T).fill(-100) }),
  ],
];

const built = ['../engine/wasm/index.ts', '../../dist/src/engine/wasm/engine.simd.wasm'].every((p) =>
  existsSync(fileURLToPath(new URL(p, import.meta.url))),
);
const engines: [string, () => Promise<Engine>][] = [['reference', async () => createReferenceEngine()]];
for (const options of [{ threads: 1 }, { threads: 2, splitAll: true }]) {
  engines.push([
    `wasm x${options.threads}`,
    async () => (await import(/* @vite-ignore */ '../engine/wasm/index.js')).createWasmEngine(options),
  ]);
}
const worst: Record<string, number> = {};
afterAll(() =>
  console.log(
    `sparse vs dense last layer, worst relative error (loss, logits, every gradient):\n${Object.entries(worst)
      .map(([k, v]) => `  ${k.padEnd(12)} ${v.toExponential(2)}`)
      .join('\n')}`,
  ),
);

describe.each(engines)('sparse last layer vs dense (%s engine, dropout 0)', (label, engine) => {
  it.skipIf(label !== 'reference' && !built).each(cases)('%s', async (_, arch, makeBatch) => {
    const e = await engine();
    const model = make(e, arch);
    const b = makeBatch();
    const dense = step(model, b, true);
    const sparse = step(model, b, false);
    const errs = [
      Math.abs(sparse.loss - dense.loss) / Math.max(Math.abs(dense.loss), 1e-30),
      relErr(sparse.logits, dense.logits),
    ];
    const bad = model.parameters().filter((p, i) => {
      const err = relErr(sparse.grads[i], dense.grads[i]);
      errs.push(err);
      return !(err <= TOLERANCE);
    });
    expect(bad.map((p) => p.name)).toEqual([]);
    expect(Math.max(...errs)).toBeLessThanOrEqual(TOLERANCE);
    worst[label] = Math.max(worst[label] ?? 0, ...errs);
    e.dispose();
  });
});

// The engine with its allocations counted and the row counts of the intermediate dense ([N, C] -> [N, F]) recorded.
function recording(): { engine: Engine; allocs: () => number; interRows: number[] } {
  const e = createReferenceEngine();
  let n = 0;
  const interRows: number[] = [];
  const engine: Engine = {
    ...e,
    alloc: (k) => (n++, e.alloc(k)),
    allocInt: (k) => (n++, e.allocInt(k)),
    allocBytes: (k) => (n++, e.allocBytes(k)),
    linearForward: (y, x, W, b, N, I, O) => (O === F && interRows.push(N), e.linearForward(y, x, W, b, N, I, O)),
  };
  return { engine, allocs: () => n, interRows };
}

describe('sparse last layer', () => {
  it('runs the last layer after attention on the labelled and [CLS] rows only; dense on request or without labels', () => {
    const { engine, interRows } = recording();
    const model = make(engine, 'BertForPreTraining');
    const b = batch();
    model.forward(b);
    expect(interRows).toEqual([B * T, 7 + 3]); // 7 labelled rows, the [CLS] rows of rows 1 to 3
    interRows.length = 0;
    model.forward(b, { hidden: true });
    model.forward({ ...b, labels: undefined });
    expect(interRows).toEqual([B * T, B * T, B * T, B * T]);
  });

  it('allocates by selected rows with headroom: flat over steps whose label count varies, grown past it', () => {
    const { engine, allocs } = recording();
    const model = make(engine, 'BertForMaskedLM', 0.1);
    const train = (b: ModelBatch, seed: number) => {
      model.zeroGrad();
      model.forward(b, { rng: Rng.of(seed, 0, 0, 'dropout') });
      model.backward();
    };
    const withLabels = (k: number, seed: number): ModelBatch => ({
      ...batch(false, seed),
      labels: Int32Array.from({ length: B * T }, (_, i) => (i % 4 === 1 && i < 4 * k ? 7 : -100)),
    });
    train(withLabels(6, 0), 0);
    const after = allocs();
    for (let s = 1; s < 20; s++) train(withLabels(1 + (s % 9), s), s); // 1..9 rows, within 1.5 x 6
    expect(allocs()).toBe(after);
    train({ ...batch(), labels: new Int32Array(B * T).fill(7) }, 0);
    expect(allocs()).toBeGreaterThan(after);
  });

  it('is deterministic under dropout (its own [K, C] masks, so not equal to the dense path)', () => {
    const model = make(createReferenceEngine(), 'BertForPreTraining', 0.2);
    const b = batch();
    const run = (dense: boolean) => {
      model.zeroGrad();
      const loss = model.forward(b, { rng: Rng.of(4, 0, 0, 'dropout'), hidden: dense }).loss as number;
      model.backward();
      return { loss, grads: model.parameters().map((p) => Float32Array.from(p.grad)) };
    };
    const a = run(false);
    const again = run(false);
    expect(again.loss).toBe(a.loss);
    again.grads.forEach((g, i) => expect(g).toEqual(a.grads[i]));
    expect(run(true).loss).not.toBe(a.loss);
  });

  it('returns no hidden states and refuses backward({ dHidden }) unless forward was asked for them', () => {
    const model = make(createReferenceEngine(), 'BertForMaskedLM');
    const b = batch();
    expect(model.forward(b).hidden).toBeUndefined();
    expect(() => model.backward({ dHidden: new Float32Array(B * T * C) })).toThrow(/hidden: true/);
    expect(model.forward(b, { hidden: true }).hidden?.length).toBe(B * T * C);
    expect(() => model.backward({ dHidden: new Float32Array(B * T * C) })).not.toThrow();
  });
});
