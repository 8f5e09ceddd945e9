// Greedy decoding for T5 with a key / value cache: the encoder runs once, each decoder block's cross-attention keys
// and values are projected from its output once, and each step runs the decoder on one new position per row,
// appending that position's self-attention keys and values to the cache (O(1) decoder work per token in the
// sequence length, besides attention over the cache). Inference only: no dropout, no gradients.
import type { AttentionShape, Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import { MASK_MIN } from './inputs.js';
import type { ModelBatch } from './model.js';
import type { T5Model } from './t5.js';
import { relativePositionBucket } from './t5-position.js';

export interface GreedyOptions {
  /** Decoder positions to generate per row, at most. */
  maxNewTokens: number;
  /** Stop a row after it writes this id (default: the config's eos_token_id). */
  eosId?: number;
}

interface State {
  B: number;
  Te: number;
  Tmax: number;
  x: Float32Array; // [B, C] the residual stream of the current position
  norm: Float32Array; // [B, C]
  rstd: Float32Array; // [B]
  qkv: Float32Array; // [B, 3I]
  ctx: Float32Array; // [B, I]
  tmp: Float32Array; // [B, C]
  h: Float32Array; // [B, F or 2F]
  act: Float32Array; // [B, F]
  logits: Float32Array; // [B, V]
  ids: Int32Array; // [B]
  selfKV: Float32Array[]; // per block [B, Tmax, 2I]
  crossKV: Float32Array[]; // per block [B, Te, 2I]
  buckets: Int32Array; // [Tmax]
  bias: Float32Array; // [H, 1, Tmax]
  probs: Float32Array; // [H, max(Tmax, Te)]
  crossMask: Float32Array; // [B, Te]
}

export class T5Generator {
  private state?: State;

  constructor(private readonly model: T5Model) {}

  /** The greedy continuation of each encoder row: ids after decoder_start_token_id, up to and including eos. */
  greedy(
    batch: Pick<ModelBatch, 'batchSize' | 'length' | 'input_ids' | 'attention_mask'>,
    options: GreedyOptions,
  ): Int32Array[] {
    const c = this.model.config;
    const { batchSize: B, length: Te } = batch;
    const Tmax = options.maxNewTokens;
    ensure(Number.isInteger(Tmax) && Tmax > 0, `generate: maxNewTokens must be a positive integer, got ${Tmax}`);
    const eos = options.eosId ?? c.eos_token_id;
    const enc = this.model.encode(batch);
    const S = this.alloc(B, Te, Tmax);
    this.prepareCross(S, enc, batch.attention_mask);
    const out: number[][] = Array.from({ length: B }, () => []);
    const done = new Uint8Array(B);
    S.ids.fill(c.decoder_start_token_id, 0, B);
    for (let t = 0; t < Tmax && done.some((d) => !d); t++) {
      this.step(S, t, batch.attention_mask !== undefined);
      const V = c.vocab_size;
      for (let b = 0; b < B; b++) {
        let best = 0;
        for (let v = 1; v < V; v++) if (S.logits[b * V + v] > S.logits[b * V + best]) best = v;
        S.ids[b] = best;
        if (!done[b]) out[b].push(best);
        if (best === eos) done[b] = 1;
      }
    }
    return out.map((ids) => Int32Array.from(ids));
  }

  // Cross-attention keys / values of every decoder block from the encoder output, and the encoder padding mask.
  private prepareCross(S: State, enc: Float32Array, mask: Uint8Array | undefined): void {
    const e = this.model.engine;
    const { d_model: C, num_heads: H, d_kv: D } = this.model.config;
    this.model.weights.decoder.blocks.forEach((blk, l) =>
      e.linearForward(
        S.crossKV[l],
        enc,
        (blk.cross as { kvW: { data: Float32Array } }).kvW.data,
        null,
        S.B * S.Te,
        C,
        2 * H * D,
      ),
    );
    for (let i = 0; i < S.B * S.Te; i++) S.crossMask[i] = mask === undefined || mask[i] !== 0 ? 0 : MASK_MIN;
  }

  // Decoder position t for every row: S.ids in, logits [B, V] out.
  private step(S: State, t: number, masked: boolean): void {
    const e = this.model.engine;
    const c = this.model.config;
    const { d_model: C, num_heads: H, d_kv: D, d_ff: F, layer_norm_epsilon: eps } = c;
    const I = H * D;
    const { B } = S;
    const gated = c.feed_forward_proj === 'gated-gelu';
    const w = this.model.weights;
    for (let j = 0; j <= t; j++)
      S.buckets[j] = relativePositionBucket(
        j - t,
        false,
        c.relative_attention_num_buckets,
        c.relative_attention_max_distance,
      );
    e.relativeBiasForward(S.bias, w.decoder.table.data, S.buckets, 1, t + 1, H);
    e.embeddingForward(S.x, w.shared.data, S.ids, B, C, false);
    w.decoder.blocks.forEach((blk, l) => {
      e.rmsNormForward(S.norm, S.rstd, S.x, blk.self.lnW.data, B, C, eps);
      e.linearForward(S.qkv, S.norm, blk.self.qkvW.data, null, B, C, 3 * I);
      for (let b = 0; b < B; b++)
        S.selfKV[l].set(S.qkv.subarray(b * 3 * I + I, (b + 1) * 3 * I), (b * S.Tmax + t) * 2 * I);
      this.attendRows(S, S.qkv, 3 * I, S.selfKV[l], S.Tmax, t + 1, S.bias, null);
      this.residual(S, S.ctx, blk.self.oW.data, I);
      const cross = blk.cross as NonNullable<typeof blk.cross>;
      e.rmsNormForward(S.norm, S.rstd, S.x, cross.lnW.data, B, C, eps);
      e.linearForward(S.qkv, S.norm, cross.qW.data, null, B, C, I);
      this.attendRows(S, S.qkv, I, S.crossKV[l], S.Te, S.Te, null, masked ? S.crossMask : null);
      this.residual(S, S.ctx, cross.oW.data, I);
      e.rmsNormForward(S.norm, S.rstd, S.x, blk.ff.lnW.data, B, C, eps);
      e.linearForward(S.h, S.norm, blk.ff.wiW.data, null, B, C, gated ? 2 * F : F);
      if (gated) e.gatedGeluForward(S.act, S.h, B, F);
      else e.reluForward(S.act, S.h, B * F);
      this.residual(S, S.act, blk.ff.woW.data, F);
    });
    e.rmsNormForward(S.norm, S.rstd, S.x, w.decoder.finalW.data, B, C, eps);
    if (c.tie_word_embeddings) e.scale(S.norm, B * C, C ** -0.5);
    e.linearForward(S.logits, S.norm, w.lmHead.data, null, B, C, c.vocab_size);
  }

  // S.ctx[b] = attention of query row b of q (stride ldq) over the first Tk rows of row b's cache (row stride rows).
  private attendRows(
    S: State,
    q: Float32Array,
    ldq: number,
    kv: Float32Array,
    rows: number,
    Tk: number,
    bias: Float32Array | null,
    mask: Float32Array | null,
  ): void {
    const { num_heads: H, d_kv: D } = this.model.config;
    const I = H * D;
    const s: AttentionShape = { B: 1, Tq: 1, Tk, H, D, ldq, ldkv: 2 * I, scale: 1 };
    for (let b = 0; b < S.B; b++) {
      const m = mask === null ? null : mask.subarray(b * S.Te, (b + 1) * S.Te);
      this.model.engine.biasedAttentionForward(
        S.ctx.subarray(b * I, (b + 1) * I),
        S.probs,
        q.subarray(b * ldq),
        kv.subarray(b * rows * 2 * I),
        bias,
        m,
        s,
      );
    }
  }

  // S.x += y[B, K] . W^T (W [C, K]).
  private residual(S: State, y: Float32Array, W: Float32Array, K: number): void {
    const e: Engine = this.model.engine;
    const C = this.model.config.d_model;
    e.linearForward(S.tmp, y, W, null, S.B, K, C);
    e.add(S.x, S.x, S.tmp, S.B * C);
  }

  // Buffers for (B, Te, Tmax), kept and reused while they are large enough.
  private alloc(B: number, Te: number, Tmax: number): State {
    const s = this.state;
    if (s && B <= s.B && Te === s.Te && Tmax <= s.Tmax) return { ...s, B };
    const e = this.model.engine;
    const { d_model: C, num_heads: H, d_kv: D, d_ff: F, vocab_size: V, feed_forward_proj } = this.model.config;
    const I = H * D;
    const L = this.model.weights.decoder.blocks.length;
    this.state = {
      B,
      Te,
      Tmax,
      x: e.alloc(B * C),
      norm: e.alloc(B * C),
      rstd: e.alloc(B),
      qkv: e.alloc(B * 3 * I),
      ctx: e.alloc(B * I),
      tmp: e.alloc(B * C),
      h: e.alloc(B * (feed_forward_proj === 'gated-gelu' ? 2 * F : F)),
      act: e.alloc(B * F),
      logits: e.alloc(B * V),
      ids: e.allocInt(B),
      selfKV: Array.from({ length: L }, () => e.alloc(B * Tmax * 2 * I)),
      crossKV: Array.from({ length: L }, () => e.alloc(B * Te * 2 * I)),
      buckets: e.allocInt(Tmax),
      bias: e.alloc(H * Tmax),
      probs: e.alloc(H * Math.max(Tmax, Te)),
      crossMask: e.alloc(B * Te),
    };
    return this.state;
  }
}
