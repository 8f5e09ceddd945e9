// The Engine over the AssemblyScript kernels: tensors live in one shared WebAssembly.Memory (WasmHeap), each call
// turns views into byte offsets, cuts the kernel's units into chunks by the work size, and runs them on the pool.
import type { Rng } from '../../rng/rng.js';
import { drawKeepMask, type AttentionDropout, type AttentionShape, type Engine, type GeluForm } from '../engine.js';
import { IGNORE_INDEX } from '../../batch/row.js';
import { keepScale } from '../reference/dropout.js';
import type { WasmHeap } from './heap.js';
import type { PoolStats, ThreadPool } from './pool.js';

/** The kernel exports, in the order the pool indexes them. */
export const KERNELS = [
  'gemm',
  'geluForward',
  'geluBackward',
  'layerNormForward',
  'layerNormBackward',
  'layerNormReduce',
  'attentionForward',
  'attentionBackward',
  'crossEntropy',
  'softmaxSample',
  'gatherRows',
  'scatterAddRows',
  'add',
  'scale',
  'sumSquares',
  'maskScale',
  'colSumAdd',
  'adamw',
  'tanhForward',
  'tanhBackward',
  'rmsNormForward',
  'rmsNormBackward',
  'rmsNormReduce',
  'reluForward',
  'reluBackward',
  'gatedGeluForward',
  'gatedGeluBackward',
  'relativeBiasForward',
  'relativeBiasBackward',
  'biasedAttentionForward',
  'biasedAttentionBackward',
] as const;
const ix = Object.fromEntries(KERNELS.map((name, i) => [name, i])) as Record<(typeof KERNELS)[number], number>;

// A job is cut into at most CHUNKS_PER_THREAD x threads chunks, each of at least this much work (flops or
// elements), which the threads claim as they come free (pool.ts): below two chunks' work the kernel runs inline.
const GEMM_FLOPS_PER_CHUNK = 2e6;
const ELEMENTS_PER_CHUNK = 16384;
const CHUNKS_PER_THREAD = 4;
// Reductions sum per-block partials in block order, with blocks fixed by the shape alone (never by the threads),
// so their results are bit-identical for any thread count: layer / RMS norm backward over NORM_BLOCKS row blocks,
// sumSquares over blocks of SUM_BLOCK elements (assembly/elementwise.ts SUM_BLOCK).
const NORM_BLOCKS = 32;
const SUM_BLOCK = 16384;

const quads = (n: number) => Math.ceil(n / 4);

function checkIds(ids: Int32Array, n: number, rows: number, what: string): void {
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (!(id >= 0 && id < rows)) throw new RangeError(`${what}: index ${id} at position ${i} is outside [0, ${rows})`);
  }
}

export class WasmEngine implements Engine {
  readonly name = 'wasm' as const;
  private disposed = false;
  // Grow-only scratch: attention's dS or dropped probabilities (threads x T x T floats), cross-entropy row stats,
  // sumSquares partials.
  private scratchPtr = 0;
  private scratchBytes = 0;
  private shapePtr = 0; // biasedAttention's shape block: i32 B, Tq, Tk, H, D, ldq, ldkv, f32 scale, i32 biasPerRow

  constructor(
    private readonly heap: WasmHeap,
    private readonly pool: ThreadPool,
    private readonly ws: number, // threads x workspaceBytes
    /** 'relaxed' when the relaxed-simd (FMA) build is running, else 'simd'. */
    readonly build: 'relaxed' | 'simd',
    private readonly splitAll = false,
  ) {}

  get threads(): number {
    return this.pool.size;
  }

  /** Jobs and chunks the pool ran, and how many of the chunks the calling thread did itself. */
  get poolStats(): Readonly<PoolStats> {
    return this.pool.stats;
  }

  alloc(n: number): Float32Array {
    return this.heap.f32(this.heap.allocBytes(4 * n), n);
  }

  allocInt(n: number): Int32Array {
    return this.heap.i32(this.heap.allocBytes(4 * n), n);
  }

  allocBytes(n: number): Uint8Array {
    return this.heap.u8(this.heap.allocBytes(n), n);
  }

  /** Bytes of wasm memory handed out so far (tensors, workspaces and scratch). */
  get memoryUsed(): number {
    return this.heap.used;
  }

  private p(view: ArrayBufferView, what: string): number {
    return this.heap.ptr(view, what);
  }

  private scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      this.scratchBytes = Math.max(bytes, Math.ceil(this.scratchBytes * 1.5));
      this.scratchPtr = this.heap.allocBytes(this.scratchBytes);
    }
    return this.scratchPtr;
  }

  // [units, grain]: `units` cut into chunks of at least `perChunk` work each (any size under splitAll).
  private chunks(units: number, work: number, perChunk: number): [number, number] {
    const chunks = Math.min(
      units,
      CHUNKS_PER_THREAD * this.threads,
      this.splitAll ? Infinity : Math.floor(work / perChunk),
    );
    return [units, chunks <= 1 ? Math.max(1, units) : Math.ceil(units / chunks)];
  }

  private byFlops(units: number, flops: number): [number, number] {
    return this.chunks(units, flops, GEMM_FLOPS_PER_CHUNK);
  }

  private byElements(units: number, elements: number): [number, number] {
    return this.chunks(units, elements, ELEMENTS_PER_CHUNK);
  }

  // Row blocks of a norm's backward: [blocks, rows per block], fixed by N.
  private normBlocks(N: number): [number, number] {
    const rows = Math.max(1, Math.ceil(N / NORM_BLOCKS));
    return [Math.ceil(N / rows), rows];
  }

  matmul(
    C: Float32Array,
    A: Float32Array,
    B: Float32Array,
    M: number,
    N: number,
    K: number,
    transA: boolean,
    transB: boolean,
    beta: 0 | 1,
  ): void {
    this.gemm(this.p(C, 'C'), this.p(A, 'A'), this.p(B, 'B'), M, N, K, transA, transB, beta, 0);
  }

  private gemm(
    C: number,
    A: number,
    B: number,
    M: number,
    N: number,
    K: number,
    transA: boolean,
    transB: boolean,
    beta: 0 | 1,
    bias: number,
  ): void {
    const rsA = transA ? 1 : K;
    const csA = transA ? M : 1;
    const rsB = transB ? 1 : N;
    const csB = transB ? K : 1;
    const units = M >= N ? Math.ceil(M / 4) : Math.ceil(N / 8); // 4-row or 8-column panels (assembly/gemm.ts)
    this.pool.run(
      ix.gemm,
      ...this.byFlops(units, 2 * M * N * K),
      C,
      A,
      B,
      M,
      N,
      K,
      rsA,
      csA,
      rsB,
      csB,
      beta,
      bias,
      this.ws,
    );
  }

  linearForward(
    y: Float32Array,
    x: Float32Array,
    W: Float32Array,
    b: Float32Array | null,
    N: number,
    I: number,
    O: number,
  ): void {
    this.gemm(this.p(y, 'y'), this.p(x, 'x'), this.p(W, 'W'), N, O, I, false, true, 0, b === null ? 0 : this.p(b, 'b'));
  }

  linearBackward(
    dx: Float32Array | null,
    dW: Float32Array,
    db: Float32Array | null,
    dy: Float32Array,
    x: Float32Array,
    W: Float32Array,
    N: number,
    I: number,
    O: number,
    accumulate: boolean,
  ): void {
    const pdy = this.p(dy, 'dy');
    if (dx !== null) this.gemm(this.p(dx, 'dx'), pdy, this.p(W, 'W'), N, I, O, false, false, accumulate ? 1 : 0, 0);
    this.gemm(this.p(dW, 'dW'), pdy, this.p(x, 'x'), O, I, N, true, false, 1, 0);
    if (db !== null) this.pool.run(ix.colSumAdd, ...this.byElements(quads(O), N * O), this.p(db, 'db'), pdy, N, O);
  }

  geluForward(y: Float32Array, x: Float32Array, n: number, form: GeluForm): void {
    this.pool.run(
      ix.geluForward,
      ...this.byElements(quads(n), 4 * n),
      this.p(y, 'y'),
      this.p(x, 'x'),
      n,
      form === 'erf' ? 0 : 1,
    );
  }

  geluBackward(
    dx: Float32Array,
    dy: Float32Array,
    x: Float32Array,
    n: number,
    form: GeluForm,
    accumulate: boolean,
  ): void {
    this.pool.run(
      ix.geluBackward,
      ...this.byElements(quads(n), 4 * n),
      this.p(dx, 'dx'),
      this.p(dy, 'dy'),
      this.p(x, 'x'),
      n,
      form === 'erf' ? 0 : 1,
      accumulate ? 1 : 0,
    );
  }

  tanhForward(y: Float32Array, x: Float32Array, n: number): void {
    this.pool.run(ix.tanhForward, ...this.byElements(quads(n), 4 * n), this.p(y, 'y'), this.p(x, 'x'), n);
  }

  tanhBackward(dx: Float32Array, dy: Float32Array, y: Float32Array, n: number, accumulate: boolean): void {
    this.pool.run(
      ix.tanhBackward,
      ...this.byElements(quads(n), n),
      this.p(dx, 'dx'),
      this.p(dy, 'dy'),
      this.p(y, 'y'),
      n,
      accumulate ? 1 : 0,
    );
  }

  layerNormForward(
    y: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    N: number,
    C: number,
    eps: number,
  ): void {
    this.pool.run(
      ix.layerNormForward,
      ...this.byElements(N, 2 * N * C),
      this.p(y, 'y'),
      this.p(mean, 'mean'),
      this.p(rstd, 'rstd'),
      this.p(x, 'x'),
      this.p(gamma, 'gamma'),
      this.p(beta, 'beta'),
      N,
      C,
      eps,
    );
  }

  layerNormBackward(
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array,
    N: number,
    C: number,
    accumulate: boolean,
  ): void {
    const [blocks, rows] = this.normBlocks(N);
    const partials = this.scratch(blocks * 8 * C); // [blocks, 2, C]
    this.pool.run(
      ix.layerNormBackward,
      ...this.byElements(blocks, 3 * N * C),
      this.p(dx, 'dx'),
      this.p(dy, 'dy'),
      this.p(x, 'x'),
      this.p(mean, 'mean'),
      this.p(rstd, 'rstd'),
      this.p(gamma, 'gamma'),
      N,
      C,
      accumulate ? 1 : 0,
      rows,
      partials,
    );
    this.pool.run(ix.layerNormReduce, C, C, this.p(dgamma, 'dgamma'), this.p(dbeta, 'dbeta'), C, blocks, partials);
  }

  attentionForward(
    out: Float32Array,
    probs: Float32Array,
    qkv: Float32Array,
    mask: Float32Array | null,
    B: number,
    T: number,
    C: number,
    H: number,
    dropout?: AttentionDropout,
  ): void {
    if (C % H !== 0) throw new RangeError(`attention: C = ${C} is not a multiple of H = ${H}`);
    const keep = dropout === undefined ? 0 : this.p(dropout.keep, 'dropout.keep');
    const Pd = dropout === undefined ? 0 : this.scratch(this.threads * T * T * 4);
    const s = dropout === undefined ? 1 : keepScale(dropout.p);
    this.pool.run(
      ix.attentionForward,
      ...this.byFlops(B * H, 4 * T * T * C),
      this.p(out, 'out'),
      this.p(probs, 'probs'),
      this.p(qkv, 'qkv'),
      mask === null ? 0 : this.p(mask, 'mask'),
      B,
      T,
      C,
      H,
      this.ws,
      keep,
      s,
      Pd,
    );
  }

  attentionBackward(
    dqkv: Float32Array,
    dout: Float32Array,
    qkv: Float32Array,
    probs: Float32Array,
    B: number,
    T: number,
    C: number,
    H: number,
    dropout?: AttentionDropout,
  ): void {
    if (C % H !== 0) throw new RangeError(`attention: C = ${C} is not a multiple of H = ${H}`);
    const dS = this.scratch(this.threads * T * T * 4);
    const keep = dropout === undefined ? 0 : this.p(dropout.keep, 'dropout.keep');
    const s = dropout === undefined ? 1 : keepScale(dropout.p);
    this.pool.run(
      ix.attentionBackward,
      ...this.byFlops(B * H, 8 * T * T * C),
      this.p(dqkv, 'dqkv'),
      this.p(dout, 'dout'),
      this.p(qkv, 'qkv'),
      this.p(probs, 'probs'),
      B,
      T,
      C,
      H,
      this.ws,
      dS,
      keep,
      s,
    );
  }

  rmsNormForward(
    y: Float32Array,
    rstd: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    N: number,
    C: number,
    eps: number,
  ): void {
    this.pool.run(
      ix.rmsNormForward,
      ...this.byElements(N, 2 * N * C),
      this.p(y, 'y'),
      this.p(rstd, 'rstd'),
      this.p(x, 'x'),
      this.p(gamma, 'gamma'),
      N,
      C,
      eps,
    );
  }

  rmsNormBackward(
    dx: Float32Array,
    dgamma: Float32Array,
    dy: Float32Array,
    x: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array,
    N: number,
    C: number,
    accumulate: boolean,
  ): void {
    const [blocks, rows] = this.normBlocks(N);
    const partials = this.scratch(blocks * 4 * C); // [blocks, C]
    this.pool.run(
      ix.rmsNormBackward,
      ...this.byElements(blocks, 3 * N * C),
      this.p(dx, 'dx'),
      this.p(dy, 'dy'),
      this.p(x, 'x'),
      this.p(rstd, 'rstd'),
      this.p(gamma, 'gamma'),
      N,
      C,
      accumulate ? 1 : 0,
      rows,
      partials,
    );
    this.pool.run(ix.rmsNormReduce, C, C, this.p(dgamma, 'dgamma'), C, blocks, partials);
  }

  reluForward(y: Float32Array, x: Float32Array, n: number): void {
    this.pool.run(ix.reluForward, ...this.byElements(quads(n), n), this.p(y, 'y'), this.p(x, 'x'), n);
  }

  reluBackward(dx: Float32Array, dy: Float32Array, y: Float32Array, n: number, accumulate: boolean): void {
    this.pool.run(
      ix.reluBackward,
      ...this.byElements(quads(n), n),
      this.p(dx, 'dx'),
      this.p(dy, 'dy'),
      this.p(y, 'y'),
      n,
      accumulate ? 1 : 0,
    );
  }

  gatedGeluForward(y: Float32Array, h: Float32Array, N: number, F: number): void {
    this.pool.run(ix.gatedGeluForward, ...this.byElements(N, 4 * N * F), this.p(y, 'y'), this.p(h, 'h'), N, F);
  }

  gatedGeluBackward(dh: Float32Array, dy: Float32Array, h: Float32Array, N: number, F: number): void {
    this.pool.run(
      ix.gatedGeluBackward,
      ...this.byElements(N, 8 * N * F),
      this.p(dh, 'dh'),
      this.p(dy, 'dy'),
      this.p(h, 'h'),
      N,
      F,
    );
  }

  relativeBiasForward(
    bias: Float32Array,
    table: Float32Array,
    buckets: Int32Array,
    Tq: number,
    Tk: number,
    H: number,
  ): void {
    checkIds(buckets, Tq * Tk, table.length / H, 'relativeBiasForward');
    this.pool.run(
      ix.relativeBiasForward,
      ...this.byElements(H * Tq * Tk, H * Tq * Tk),
      this.p(bias, 'bias'),
      this.p(table, 'table'),
      this.p(buckets, 'buckets'),
      Tq,
      Tk,
      H,
    );
  }

  relativeBiasBackward(
    dtable: Float32Array,
    dscores: Float32Array,
    buckets: Int32Array,
    B: number,
    Tq: number,
    Tk: number,
    H: number,
  ): void {
    checkIds(buckets, Tq * Tk, dtable.length / H, 'relativeBiasBackward');
    this.pool.run(
      ix.relativeBiasBackward,
      ...this.byElements(H, B * H * Tq * Tk),
      this.p(dtable, 'dtable'),
      this.p(dscores, 'dscores'),
      this.p(buckets, 'buckets'),
      B,
      Tq,
      Tk,
      H,
    );
  }

  biasedAttentionForward(
    out: Float32Array,
    probs: Float32Array,
    q: Float32Array,
    kv: Float32Array,
    bias: Float32Array | null,
    mask: Float32Array | null,
    s: AttentionShape,
    dropout?: AttentionDropout,
  ): void {
    const keep = dropout === undefined ? 0 : this.p(dropout.keep, 'dropout.keep');
    const Pd = dropout === undefined ? 0 : this.scratch(this.threads * s.Tq * s.Tk * 4);
    const ks = dropout === undefined ? 1 : keepScale(dropout.p);
    const args = [
      this.p(out, 'out'),
      this.p(probs, 'probs'),
      this.p(q, 'q'),
      this.p(kv, 'kv'),
      bias === null ? 0 : this.p(bias, 'bias'),
      mask === null ? 0 : this.p(mask, 'mask'),
    ];
    this.pool.run(
      ix.biasedAttentionForward,
      ...this.byFlops(s.B * s.H, 4 * s.Tq * s.Tk * s.H * s.D),
      ...args,
      this.shape(s),
      this.ws,
      keep,
      ks,
      Pd,
    );
  }

  biasedAttentionBackward(
    dq: Float32Array,
    dkv: Float32Array,
    dscores: Float32Array | null,
    dout: Float32Array,
    q: Float32Array,
    kv: Float32Array,
    probs: Float32Array,
    s: AttentionShape,
    dropout?: AttentionDropout,
  ): void {
    const scratch = dscores === null || dropout !== undefined ? this.scratch(this.threads * s.Tq * s.Tk * 4) : 0;
    const keep = dropout === undefined ? 0 : this.p(dropout.keep, 'dropout.keep');
    const ks = dropout === undefined ? 1 : keepScale(dropout.p);
    const args = [
      this.p(dq, 'dq'),
      this.p(dkv, 'dkv'),
      dscores === null ? 0 : this.p(dscores, 'dscores'),
      this.p(dout, 'dout'),
      this.p(q, 'q'),
      this.p(kv, 'kv'),
      this.p(probs, 'probs'),
    ];
    this.pool.run(
      ix.biasedAttentionBackward,
      ...this.byFlops(s.B * s.H, 8 * s.Tq * s.Tk * s.H * s.D),
      ...args,
      this.shape(s),
      this.ws,
      scratch,
      keep,
      ks,
    );
  }

  // The shape block biasedAttention reads (one per engine; kernels run one at a time).
  private shape(s: AttentionShape): number {
    if (s.D <= 0 || s.H <= 0) throw new RangeError(`biasedAttention: H = ${s.H} and D = ${s.D} must be positive`);
    if (this.shapePtr === 0) this.shapePtr = this.heap.allocBytes(36);
    this.heap.i32(this.shapePtr, 7).set([s.B, s.Tq, s.Tk, s.H, s.D, s.ldq, s.ldkv]);
    this.heap.f32(this.shapePtr + 28, 1)[0] = s.scale;
    this.heap.i32(this.shapePtr + 32, 1)[0] = s.biasPerRow ? 1 : 0;
    return this.shapePtr;
  }

  crossEntropy(logits: Float32Array, targets: Int32Array, N: number, V: number, gradScale: number): number {
    for (let n = 0; n < N; n++) {
      const t = targets[n];
      if (t !== IGNORE_INDEX && !(t >= 0 && t < V))
        throw new RangeError(`crossEntropy: target ${t} at row ${n} is outside [0, ${V})`);
    }
    const stats = this.scratch(16 * N);
    this.pool.run(
      ix.crossEntropy,
      ...this.byElements(N, 2 * N * V),
      this.p(logits, 'logits'),
      this.p(targets, 'targets'),
      N,
      V,
      gradScale,
      stats,
    );
    const s = this.heap.f64(stats, 2 * N);
    let loss = 0;
    for (let n = 0; n < N; n++) if (targets[n] !== IGNORE_INDEX) loss += Math.log(s[2 * n]) - s[2 * n + 1];
    return loss;
  }

  softmaxSample(
    out: Int32Array,
    logits: Float32Array,
    uniform: Float32Array,
    M: number,
    V: number,
    temperature: number,
  ): void {
    this.pool.run(
      ix.softmaxSample,
      ...this.byElements(M, 3 * M * V),
      this.p(out, 'out'),
      this.p(logits, 'logits'),
      this.p(uniform, 'uniform'),
      M,
      V,
      1 / temperature,
    );
  }

  embeddingForward(
    out: Float32Array,
    table: Float32Array,
    ids: Int32Array,
    N: number,
    C: number,
    accumulate: boolean,
  ): void {
    checkIds(ids, N, table.length / C, 'embeddingForward');
    this.pool.run(
      ix.gatherRows,
      ...this.byElements(N, N * C),
      this.p(out, 'out'),
      this.p(table, 'table'),
      this.p(ids, 'ids'),
      N,
      C,
      accumulate ? 1 : 0,
    );
  }

  embeddingBackward(dtable: Float32Array, dout: Float32Array, ids: Int32Array, N: number, C: number): void {
    checkIds(ids, N, dtable.length / C, 'embeddingBackward');
    this.pool.run(
      ix.scatterAddRows,
      ...this.byElements(quads(C), N * C),
      this.p(dtable, 'dtable'),
      this.p(dout, 'dout'),
      this.p(ids, 'ids'),
      N,
      C,
    );
  }

  gatherRows(out: Float32Array, x: Float32Array, idx: Int32Array, M: number, C: number): void {
    checkIds(idx, M, x.length / C, 'gatherRows');
    this.pool.run(
      ix.gatherRows,
      ...this.byElements(M, M * C),
      this.p(out, 'out'),
      this.p(x, 'x'),
      this.p(idx, 'idx'),
      M,
      C,
      0,
    );
  }

  scatterAddRows(dx: Float32Array, dout: Float32Array, idx: Int32Array, M: number, C: number): void {
    checkIds(idx, M, dx.length / C, 'scatterAddRows');
    this.pool.run(
      ix.scatterAddRows,
      ...this.byElements(quads(C), M * C),
      this.p(dx, 'dx'),
      this.p(dout, 'dout'),
      this.p(idx, 'idx'),
      M,
      C,
    );
  }

  add(y: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
    this.pool.run(ix.add, ...this.byElements(quads(n), n), this.p(y, 'y'), this.p(a, 'a'), this.p(b, 'b'), n);
  }

  scale(x: Float32Array, n: number, s: number): void {
    this.pool.run(ix.scale, ...this.byElements(quads(n), n), this.p(x, 'x'), n, s);
  }

  sumSquares(x: Float32Array, n: number): number {
    const blocks = Math.ceil(n / SUM_BLOCK);
    const out = this.scratch(8 * blocks);
    this.pool.run(ix.sumSquares, ...this.byElements(blocks, n), this.p(x, 'x'), n, out);
    const partial = this.heap.f64(out, blocks);
    let sum = 0;
    for (let b = 0; b < blocks; b++) sum += partial[b];
    return sum;
  }

  dropoutForward(y: Float32Array, keep: Uint8Array, x: Float32Array, n: number, p: number, rng: Rng): void {
    drawKeepMask(keep, n, p, rng);
    this.pool.run(
      ix.maskScale,
      ...this.byElements(quads(n), n),
      this.p(y, 'y'),
      this.p(x, 'x'),
      this.p(keep, 'keep'),
      n,
      keepScale(p),
      0,
    );
  }

  dropoutBackward(
    dx: Float32Array,
    dy: Float32Array,
    keep: Uint8Array,
    n: number,
    p: number,
    accumulate: boolean,
  ): void {
    this.pool.run(
      ix.maskScale,
      ...this.byElements(quads(n), n),
      this.p(dx, 'dx'),
      this.p(dy, 'dy'),
      this.p(keep, 'keep'),
      n,
      keepScale(p),
      accumulate ? 1 : 0,
    );
  }

  adamw(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
  ): void {
    if (!(Number.isInteger(step) && step >= 1)) throw new RangeError(`adamw: step counts from 1, got ${step}`);
    const decay = 1 - lr * weightDecay;
    const stepSize = lr / (1 - beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
    this.pool.run(
      ix.adamw,
      ...this.byElements(quads(n), n),
      this.p(param, 'param'),
      this.p(grad, 'grad'),
      this.p(m, 'm'),
      this.p(v, 'v'),
      n,
      decay,
      stepSize,
      beta1,
      beta2,
      bc2Sqrt,
      eps,
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool.close();
  }
}
