// The wasm engine's exports. Every kernel takes (tid, u0, u1, ...) and does units [u0, u1) of its job on thread
// tid (split.ts; tid picks the thread's workspace and scratch); pointers are byte
// offsets into the one imported (shared) memory, allocated by the host. No AS runtime allocation anywhere.
export { workspaceBytes, gemm } from './gemm';
export { geluForward, geluBackward, gatedGeluForward, gatedGeluBackward } from './gelu';
export { tanhForward, tanhBackward } from './tanh';
export { layerNormForward, layerNormBackward, layerNormReduce } from './layernorm';
export { attentionForward, attentionBackward } from './attention';
export { biasedAttentionForward, biasedAttentionBackward } from './biased-attention';
export { rmsNormForward, rmsNormBackward, rmsNormReduce } from './rmsnorm';
export { relativeBiasForward, relativeBiasBackward } from './relative-bias';
export { crossEntropy } from './cross-entropy';
export { gatherRows, scatterAddRows } from './rows';
export { add, scale, sumSquares, maskScale, colSumAdd, adamw, reluForward, reluBackward } from './elementwise';

/** First free byte after static data: the host's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
export { softmaxSample } from './sample';
