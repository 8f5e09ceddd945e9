// One T5 stack (HF T5Stack), encoder or decoder, forward and backward side by side:
//   h0 = dropout(shared[ids]); per block: self-attention (the relative bias of block 0 shared by every block),
//   cross-attention over the encoder output (decoder only), feed-forward; out = dropout(final_layer_norm(h)).
// Parameters under HF's names, initialised as HF T5PreTrainedModel._init_weights.
import type { Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import type { T5Config } from './config.js';
import { dropoutSite, dropoutSiteBackward } from './dropout.js';
import type { ParameterSet, Tensor } from './parameters.js';
import {
  allocAttentionActs,
  allocFeedForwardActs,
  crossAttentionBackward,
  crossAttentionForward,
  feedForwardBackward,
  feedForwardForward,
  selfAttentionBackward,
  selfAttentionForward,
  type AttentionActs,
  type CrossAttentionParams,
  type FeedForwardActs,
  type FeedForwardParams,
  type SelfAttentionParams,
  type T5Dims,
  type T5Scratch,
} from './t5-layer.js';

export interface T5BlockParams {
  self: SelfAttentionParams;
  cross?: CrossAttentionParams;
  ff: FeedForwardParams;
}

export interface T5StackParams {
  table: Tensor; // [buckets, H] block 0's relative_attention_bias
  blocks: T5BlockParams[];
  finalW: Tensor; // [C]
}

export interface T5StackActs {
  ids: Int32Array; // [N]
  emb: Float32Array; // [N, C] shared[ids]
  embKeep: Uint8Array; // [N, C]
  embDropped: Float32Array; // [N, C]
  buckets: Int32Array; // [T, T] relative position buckets
  bias: Float32Array; // [H, T, T]
  mask: Float32Array; // [B, T, T] self-attention mask (decoder: causal)
  blocks: { self: AttentionActs; cross?: AttentionActs; ff: FeedForwardActs }[];
  final: Float32Array; // [N, C] final_layer_norm output
  finalRstd: Float32Array; // [N]
  outKeep: Uint8Array; // [N, C]
  outDropped: Float32Array; // [N, C]
}

/** The forward's inputs to the stack's first block and to its final norm, which backward needs. */
export interface StackPass {
  h0: Float32Array;
  top: Float32Array;
}

/** The encoder or decoder cross-attention context: the encoder output [B*Te, C] and its padding mask [B, T, Te]. */
export interface CrossContext {
  enc: Float32Array;
  Te: number;
  mask: Float32Array | null;
}

/** Register `encoder.` or `decoder.` parameters (HF names and init stds, scaled by initializer_factor). */
export function addStackParams(ps: ParameterSet, c: T5Config, decoder: boolean): T5StackParams {
  const { d_model: C, d_kv: D, num_heads: H, d_ff: F, initializer_factor: f } = c;
  const I = H * D;
  const stack = decoder ? 'decoder' : 'encoder';
  const L = decoder ? c.num_decoder_layers : c.num_layers;
  const std = { q: f * (C * D) ** -0.5, kv: f * C ** -0.5, o: f * I ** -0.5, wi: f * C ** -0.5, wo: f * F ** -0.5 };
  const packed = (n: string, names: string[], rows: number, stds: number[]): Tensor => {
    const t = ps.tensor(names.length * rows * C);
    names.forEach((x, i) =>
      ps.add(`${n}${x}.weight`, [rows, C], 'weight', { of: t, offset: i * rows * C, std: stds[i] }),
    );
    return t;
  };
  let table: Tensor | undefined;
  const blocks: T5BlockParams[] = [];
  for (let l = 0; l < L; l++) {
    const n = `${stack}.block.${l}.layer.`;
    const sa = `${n}0.SelfAttention.`;
    const self = {
      lnW: ps.add(`${n}0.layer_norm.weight`, [C], 'norm'),
      qkvW: packed(sa, ['q', 'k', 'v'], I, [std.q, std.kv, std.kv]),
      oW: ps.add(`${sa}o.weight`, [C, I], 'weight', { std: std.o }),
    };
    if (l === 0)
      table = ps.add(`${sa}relative_attention_bias.weight`, [c.relative_attention_num_buckets, H], 'embedding', {
        std: f * C ** -0.5,
      });
    const ca = `${n}1.EncDecAttention.`;
    const cross = decoder
      ? {
          lnW: ps.add(`${n}1.layer_norm.weight`, [C], 'norm'),
          qW: ps.add(`${ca}q.weight`, [I, C], 'weight', { std: std.q }),
          kvW: packed(ca, ['k', 'v'], I, [std.kv, std.kv]),
          oW: ps.add(`${ca}o.weight`, [C, I], 'weight', { std: std.o }),
        }
      : undefined;
    const ff = `${n}${decoder ? 2 : 1}.`;
    const gated = c.feed_forward_proj === 'gated-gelu';
    blocks.push({
      self,
      cross,
      ff: {
        lnW: ps.add(`${ff}layer_norm.weight`, [C], 'norm'),
        wiW: gated
          ? packed(`${ff}DenseReluDense.`, ['wi_0', 'wi_1'], F, [std.wi, std.wi])
          : ps.add(`${ff}DenseReluDense.wi.weight`, [F, C], 'weight', { std: std.wi }),
        woW: ps.add(`${ff}DenseReluDense.wo.weight`, [C, F], 'weight', { std: std.wo }),
      },
    });
  }
  return { table: table as Tensor, blocks, finalW: ps.add(`${stack}.final_layer_norm.weight`, [C], 'norm') };
}

export function allocStackActs(
  e: Engine,
  P: T5StackParams,
  N: number,
  T: number,
  NT: number,
  d: Omit<T5Dims, 'B' | 'T'>,
  cross: { Ne: number; NTe: number } | null,
): T5StackActs {
  const C = d.C;
  return {
    ids: e.allocInt(N),
    emb: e.alloc(N * C),
    embKeep: e.allocBytes(N * C),
    embDropped: e.alloc(N * C),
    buckets: e.allocInt(T * T),
    bias: e.alloc(d.H * T * T),
    mask: e.alloc(NT),
    blocks: P.blocks.map(() => ({
      self: allocAttentionActs(e, N, NT, d, null),
      cross: cross ? allocAttentionActs(e, N, cross.NTe, d, { Ne: cross.Ne }) : undefined,
      ff: allocFeedForwardActs(e, N, d),
    })),
    final: e.alloc(N * C),
    finalRstd: e.alloc(N),
    outKeep: e.allocBytes(N * C),
    outDropped: e.alloc(N * C),
  };
}

/** A.emb [N, C] (embedded ids) and A.buckets filled by the caller -> the stack's output [N, C]; mask[B, T, T] or null. */
export function stackForward(
  e: Engine,
  P: T5StackParams,
  A: T5StackActs,
  S: T5Scratch,
  d: T5Dims,
  mask: Float32Array | null,
  cross: CrossContext | null,
  rng: Rng | undefined,
): StackPass & { out: Float32Array } {
  const { B, T, C, H, eps, p } = d;
  const N = B * T;
  const h0 = dropoutSite(e, A.embDropped, A.embKeep, A.emb, N * C, p, rng);
  e.relativeBiasForward(A.bias, P.table.data, A.buckets, T, T, H);
  let x = h0;
  P.blocks.forEach((blk, l) => {
    const acts = A.blocks[l];
    selfAttentionForward(e, blk.self, acts.self, S, x, A.bias, mask, d, rng);
    x = acts.self.out;
    if (blk.cross && acts.cross && cross) {
      crossAttentionForward(e, blk.cross, acts.cross, S, x, cross.enc, cross.Te, cross.mask, d, rng);
      x = acts.cross.out;
    }
    feedForwardForward(e, blk.ff, acts.ff, S, x, d, rng);
    x = acts.ff.out;
  });
  e.rmsNormForward(A.final, A.finalRstd, x, P.finalW.data, N, C, eps);
  return { h0, top: x, out: dropoutSite(e, A.outDropped, A.outKeep, A.final, N * C, p, rng) };
}

/** dOut [N, C] (not S.a or S.b) -> the gradient on the embedded ids A.emb (returned: S.a or S.b). */
export function stackBackward(
  e: Engine,
  P: T5StackParams,
  A: T5StackActs,
  S: T5Scratch,
  d: T5Dims,
  pass: StackPass,
  dOut: Float32Array,
  cross: CrossContext | null,
  training: boolean,
): Float32Array {
  const { B, T, C, p } = d;
  const N = B * T;
  const dFinal = dropoutSiteBackward(e, S.b, dOut, A.outKeep, N * C, p, training);
  e.rmsNormBackward(S.a, P.finalW.grad, dFinal, pass.top, A.finalRstd, P.finalW.data, N, C, false);
  const bias = { table: P.table, buckets: A.buckets };
  for (let l = P.blocks.length - 1; l >= 0; l--) {
    const blk = P.blocks[l];
    const acts = A.blocks[l];
    const x = l === 0 ? pass.h0 : A.blocks[l - 1].ff.out;
    const ffIn = acts.cross ? acts.cross.out : acts.self.out;
    feedForwardBackward(e, blk.ff, acts.ff, S, ffIn, d, training);
    if (blk.cross && acts.cross && cross)
      crossAttentionBackward(e, blk.cross, acts.cross, S, acts.self.out, cross.enc, cross.Te, d, training);
    selfAttentionBackward(e, blk.self, acts.self, S, x, d, training, bias);
  }
  return dropoutSiteBackward(e, S.b, S.a, A.embKeep, N * C, p, training);
}
