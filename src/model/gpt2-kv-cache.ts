// Incremental GPT-2 decoding with a key/value cache (inference only: no dropout, no backward). `prefill` runs the
// model's own forward over the prompt and keeps every block's key and value rows; `step` then runs the blocks on the
// one new row, attending over the cached rows, so a new token costs O(1) matmuls (plus attention over the cache)
// instead of a forward over the whole window. The block math is gpt2BlockForward's for a single row:
//   res1 = x + c_proj(attention(q, K[0..t], V[0..t]))   with q, k, v = c_attn(ln_1(x)), k and v appended to the cache
//   out  = res1 + mlp.c_proj(gelu(mlp.c_fc(ln_2(res1))))
import type { Engine, GeluForm } from '../engine/engine.js';
import { ensure } from '../errors.js';
import type { GPT2Config } from './config.js';
import type { Gpt2BlockParams } from './gpt2-block.js';
import type { Tensor } from './parameters.js';

export interface Gpt2Weights {
  wte: Tensor; // [V, C]
  wpe: Tensor; // [P, C]
  blocks: Gpt2BlockParams[];
  lnfW: Tensor; // [C]
  lnfB: Tensor;
}

/** What the model's forward leaves for prefill: logits of every position and each block's qkv rows. */
export type PrefillForward = (ids: Int32Array) => { logits: Float32Array; qkv: Float32Array[] };

// One row's activations, reused by every step.
interface StepActs {
  ids: Int32Array; // [1]
  positions: Int32Array; // [1]
  x: Float32Array; // [C] the residual stream
  ln: Float32Array; // [C]
  mean: Float32Array; // [1]
  rstd: Float32Array; // [1]
  qkv: Float32Array; // [3C]
  ctx: Float32Array; // [C]
  proj: Float32Array; // [C]
  fc: Float32Array; // [F]
  gelu: Float32Array; // [F]
  logits: Float32Array; // [V]
  scores: Float64Array; // [P] one head's attention scores
}

export class Gpt2KvCache {
  /** tokens in the cache */
  length = 0;
  private readonly keys: Float32Array[]; // per block [P, C]
  private readonly values: Float32Array[]; // per block [P, C]
  private readonly a: StepActs;

  constructor(
    private readonly config: GPT2Config,
    private readonly engine: Engine,
    private readonly w: Gpt2Weights,
    private readonly form: GeluForm,
    private readonly prefillForward: PrefillForward,
  ) {
    const { n_positions: P, n_embd: C, vocab_size: V } = config;
    const F = config.n_inner ?? 4 * C;
    const e = engine;
    this.keys = w.blocks.map(() => e.alloc(P * C));
    this.values = w.blocks.map(() => e.alloc(P * C));
    this.a = {
      ids: e.allocInt(1),
      positions: e.allocInt(1),
      x: e.alloc(C),
      ln: e.alloc(C),
      mean: e.alloc(1),
      rstd: e.alloc(1),
      qkv: e.alloc(3 * C),
      ctx: e.alloc(C),
      proj: e.alloc(C),
      fc: e.alloc(F),
      gelu: e.alloc(F),
      logits: e.alloc(V),
      scores: new Float64Array(P),
    };
  }

  /** Forget the cache and run `ids` (positions 0..n-1); returns the logits [V] of the last one (a view, valid until the next call). */
  prefill(ids: Int32Array): Float32Array {
    const { n_positions: P, n_embd: C, vocab_size: V } = this.config;
    const T = ids.length;
    ensure(T >= 1 && T <= P, `kv cache: prefill of ${T} tokens (1..${P})`);
    const { logits, qkv } = this.prefillForward(ids);
    qkv.forEach((rows, l) => {
      for (let t = 0; t < T; t++) {
        this.keys[l].set(rows.subarray(t * 3 * C + C, t * 3 * C + 2 * C), t * C);
        this.values[l].set(rows.subarray(t * 3 * C + 2 * C, t * 3 * C + 3 * C), t * C);
      }
    });
    this.length = T;
    this.a.logits.set(logits.subarray((T - 1) * V, T * V));
    return this.a.logits;
  }

  /** Append token `id` at position `length`; returns its logits [V] (a view, valid until the next call). */
  step(id: number): Float32Array {
    const { n_positions: P, n_embd: C, vocab_size: V, layer_norm_epsilon: eps } = this.config;
    const t = this.length;
    ensure(t < P, `kv cache: full at ${P} positions`);
    ensure(Number.isInteger(id) && id >= 0 && id < V, `kv cache: token id ${id} outside [0, ${V})`);
    const { engine: e, w, a } = this;
    const F = this.config.n_inner ?? 4 * C;
    a.ids[0] = id;
    a.positions[0] = t;
    e.embeddingForward(a.x, w.wte.data, a.ids, 1, C, false);
    e.embeddingForward(a.x, w.wpe.data, a.positions, 1, C, true);
    w.blocks.forEach((B, l) => {
      e.layerNormForward(a.ln, a.mean, a.rstd, a.x, B.ln1W.data, B.ln1B.data, 1, C, eps);
      e.linearForward(a.qkv, a.ln, B.attnW.data, B.attnB.data, 1, C, 3 * C);
      this.keys[l].set(a.qkv.subarray(C, 2 * C), t * C);
      this.values[l].set(a.qkv.subarray(2 * C, 3 * C), t * C);
      this.attend(l, t + 1);
      e.linearForward(a.proj, a.ctx, B.projW.data, B.projB.data, 1, C, C);
      e.add(a.x, a.x, a.proj, C); // res1
      e.layerNormForward(a.ln, a.mean, a.rstd, a.x, B.ln2W.data, B.ln2B.data, 1, C, eps);
      e.linearForward(a.fc, a.ln, B.fcW.data, B.fcB.data, 1, C, F);
      e.geluForward(a.gelu, a.fc, F, this.form);
      e.linearForward(a.proj, a.gelu, B.fc2W.data, B.fc2B.data, 1, F, C);
      e.add(a.x, a.x, a.proj, C); // out
    });
    e.layerNormForward(a.ln, a.mean, a.rstd, a.x, w.lnfW.data, w.lnfB.data, 1, C, eps);
    e.linearForward(a.logits, a.ln, w.wte.data, null, 1, C, V);
    this.length = t + 1;
    return a.logits;
  }

  // ctx[C] = per head softmax(q . K[0..n)^T / sqrt(hs)) . V[0..n); q = the step's qkv[0, C).
  private attend(l: number, n: number): void {
    const { n_embd: C, n_head: H } = this.config;
    const hs = C / H;
    const scale = 1 / Math.sqrt(hs);
    const { qkv, ctx, scores } = this.a;
    const K = this.keys[l];
    const V = this.values[l];
    for (let h = 0; h < H; h++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let d = 0; d < hs; d++) dot += qkv[h * hs + d] * K[j * C + h * hs + d];
        scores[j] = dot * scale;
        if (scores[j] > max) max = scores[j];
      }
      let sum = 0;
      for (let j = 0; j < n; j++) sum += scores[j] = Math.exp(scores[j] - max);
      for (let d = 0; d < hs; d++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += scores[j] * V[j * C + h * hs + d];
        ctx[h * hs + d] = acc / sum;
      }
    }
  }
}
