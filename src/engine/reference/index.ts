// The reference engine: plain TypeScript over Float32Array, one concept per file, sums in f64. It is the readable
// truth the wasm engine is tested against.
import type { Engine } from '../engine.js';
import { adamw } from './adamw.js';
import { attentionBackward, attentionForward } from './attention.js';
import { biasedAttentionBackward, biasedAttentionForward } from './biased-attention.js';
import { crossEntropy } from './cross-entropy.js';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { add, scale, sumSquares } from './elementwise.js';
import { embeddingBackward, embeddingForward, gatherRows, scatterAddRows } from './embedding.js';
import { gatedGeluBackward, gatedGeluForward } from './gated-gelu.js';
import { geluBackward, geluForward } from './gelu.js';
import { layerNormBackward, layerNormForward } from './layernorm.js';
import { linearBackward, linearForward } from './linear.js';
import { matmul } from './matmul.js';
import { relativeBiasBackward, relativeBiasForward } from './relative-bias.js';
import { reluBackward, reluForward } from './relu.js';
import { rmsNormBackward, rmsNormForward } from './rmsnorm.js';
import { softmaxSample } from './sample.js';
import { tanhBackward, tanhForward } from './tanh.js';

export function createReferenceEngine(): Engine {
  return {
    name: 'reference',
    threads: 1,
    alloc: (n) => new Float32Array(n),
    allocInt: (n) => new Int32Array(n),
    allocBytes: (n) => new Uint8Array(n),
    matmul,
    linearForward,
    linearBackward,
    geluForward,
    geluBackward,
    tanhForward,
    tanhBackward,
    layerNormForward,
    layerNormBackward,
    attentionForward,
    attentionBackward,
    rmsNormForward,
    rmsNormBackward,
    reluForward,
    reluBackward,
    gatedGeluForward,
    gatedGeluBackward,
    relativeBiasForward,
    relativeBiasBackward,
    biasedAttentionForward,
    biasedAttentionBackward,
    crossEntropy,
    softmaxSample,
    embeddingForward,
    embeddingBackward,
    gatherRows,
    scatterAddRows,
    add,
    scale,
    sumSquares,
    dropoutForward,
    dropoutBackward,
    adamw,
    dispose: () => {},
  };
}
