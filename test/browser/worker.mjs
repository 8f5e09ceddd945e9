// The threaded checks, in a dedicated module worker (where Atomics.wait may block, as in the playground): the wasm
// engine with 1 and 2 threads against the reference engine, and a few training steps of a tiny BERT. Module workers
// have no import maps, so this imports the entry points it needs rather than the public API (which pulls hyparquet).
import { createReferenceEngine } from '../../dist/src/engine/reference/index.js';
import { createWasmEngine } from '../../dist/src/engine/wasm/index.js';
import { MASK_MIN, bertConfig, createModel } from '../../dist/src/model/index.js';
import { Rng } from '../../dist/src/rng/rng.js';
import { put, relErr } from './compare.mjs';

const TOL = 1e-4;
const reference = createReferenceEngine();
const results = [];
const record = (name, ok, detail = '') => results.push({ name, ok: Boolean(ok), detail });

function randn(n, purpose) {
  const rng = Rng.of(1234, 0, 0, purpose);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** f(engine) -> arrays, on the reference and on e; the worst relative error over them. */
function compare(e, f) {
  const want = f(reference);
  const got = f(e);
  return Math.max(...want.map((w, i) => relErr(got[i], w)));
}

// C[M, N] = beta C + op(A) op(B) over every transpose pair, beta 1 onto a random C.
const matmul = (e) => {
  const [M, N, K] = [33, 29, 47];
  const out = [];
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const C = put(e, randn(M * N, 'C'));
    e.matmul(C, put(e, randn(M * K, 'A')), put(e, randn(K * N, 'B')), M, N, K, tA, tB, 1);
    out.push(Array.from(C));
  }
  return out;
};

// out[B, T, C], probs[B, H, T, T] from qkv[B, T, 3C], the last two keys of row 1 masked.
const attention = (e) => {
  const [B, T, C, H] = [2, 9, 16, 2];
  const mask = new Float32Array(B * T * T);
  for (let i = 0; i < T; i++) mask.fill(MASK_MIN, (T + i) * T + T - 2, (T + i + 1) * T);
  const out = e.alloc(B * T * C);
  const probs = e.alloc(B * H * T * T);
  e.attentionForward(out, probs, put(e, randn(B * T * 3 * C, 'qkv')), put(e, mask), B, T, C, H);
  return [Array.from(out), Array.from(probs)];
};

// Summed loss and dlogits over logits[N, V], every third target ignored.
const crossEntropy = (e) => {
  const [N, V] = [12, 37];
  const targets = Int32Array.from({ length: N }, (_, i) => (i % 3 === 2 ? -100 : (i * 7) % V));
  const logits = put(e, randn(N * V, 'logits'));
  const loss = e.crossEntropy(logits, put(e, targets, true), N, V, 1 / 8);
  return [[loss], Array.from(logits)];
};

async function kernelChecks(options) {
  const { threads, build = 'auto' } = options;
  const name = `(a) wasm engine, ${build} build, ${threads} thread${threads > 1 ? 's' : ''}`;
  let e;
  try {
    e = await createWasmEngine({ ...options, splitAll: threads > 1 });
    record(`${name}: loads`, e.threads === threads, `${e.build} kernels, ${e.threads} of ${threads} threads`);
    for (const [op, f] of [['matmul', matmul], ['attention forward', attention], ['cross-entropy', crossEntropy]]) {
      const err = compare(e, f);
      record(`${name}: ${op} matches the reference to ${TOL} relative`, err < TOL, `rel err ${err.toExponential(1)}`);
    }
  } catch (err) {
    record(`${name}: loads and runs`, false, String(err?.message ?? err));
  } finally {
    e?.dispose();
  }
}

// A tiny BertForMaskedLM, one fixed batch, AdamW: the loss must fall; its first loss must equal the reference's.
async function trainingCheck() {
  const name = '(b) tiny BERT on the wasm engine (2 threads): 10 AdamW steps on one batch reduce the loss';
  let e;
  try {
    e = await createWasmEngine({ threads: 2 });
    const config = bertConfig({ vocab_size: 64, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 16 });
    const rng = Rng.of(5, 0, 0, 'browser.batch');
    const [B, T] = [4, 12];
    const input_ids = Int32Array.from({ length: B * T }, () => 5 + rng.int(59));
    const labels = Int32Array.from(input_ids, (id, i) => (i % 3 === 1 ? id : -100));
    const batch = { batchSize: B, length: T, input_ids, labels };
    const model = createModel(config, e, { seed: 1 });
    const first = createModel(config, reference, { seed: 1 }).forward(batch).loss;
    const moments = new Map(model.parameters().map((p) => [p.name, [e.alloc(p.data.length), e.alloc(p.data.length)]]));
    const losses = [];
    for (let step = 1; step <= 10; step++) {
      model.zeroGrad();
      losses.push(model.forward(batch).loss);
      model.backward();
      for (const p of model.parameters()) {
        const [m, v] = moments.get(p.name);
        e.adamw(p.data, p.grad, m, v, p.data.length, 1e-2, 0.9, 0.999, 1e-8, p.decay ? 0.01 : 0, step);
      }
    }
    const last = model.forward(batch).loss;
    const agree = Math.abs(losses[0] - first) / first;
    record(name, last < 0.8 * losses[0] && agree < TOL, `loss ${losses[0].toFixed(4)} -> ${last.toFixed(4)}; step-0 loss vs reference engine rel diff ${agree.toExponential(1)}`);
  } catch (err) {
    record(name, false, String(err?.message ?? err));
  } finally {
    e?.dispose();
  }
}

self.onmessage = async () => {
  // Two threads split every kernel however small, so the second thread surely runs.
  for (const options of [{ threads: 1 }, { threads: 2 }, { threads: 2, build: 'simd' }]) await kernelChecks(options);
  await trainingCheck();
  self.postMessage(results);
};
