// Buffers and sizes every transformer layer shares: backward scratch (also forward temporaries), allocated per capacity.
import type { Engine } from '../engine/engine.js';
import type { RelativeKeyScratch } from './relative-key.js';

/** Backward (and forward temporary) buffers shared by all layers. */
export interface Scratch {
  a: Float32Array; // [N, C]
  b: Float32Array; // [N, C]
  c: Float32Array; // [N, C]
  qkv: Float32Array; // [N, 3C]
  f1: Float32Array; // [N, F]
  f2: Float32Array; // [N, F]
  /** BERT's relative_key scores (relative-key.ts), when the model has them */
  rel?: RelativeKeyScratch;
}

export interface LayerDims {
  B: number;
  T: number;
  C: number;
  H: number;
  F: number;
  eps: number;
  /** hidden dropout probability */
  p: number;
  /** attention-probability dropout probability */
  pAttn: number;
}

export function allocScratch(e: Engine, N: number, C: number, F: number): Scratch {
  return {
    a: e.alloc(N * C),
    b: e.alloc(N * C),
    c: e.alloc(N * C),
    qkv: e.alloc(N * 3 * C),
    f1: e.alloc(N * F),
    f2: e.alloc(N * F),
  };
}
