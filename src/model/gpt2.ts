// GPT-2 as HF GPT2LMHeadModel (modeling_gpt2.py): wte + wpe (+ wte[token_type_ids] when given), pre-LN blocks, ln_f, lm_head tied to wte. The loss
// shifts inside: logits[:, :-1] against labels[:, 1:], mean over labels != -100.
import type { Engine, GeluForm } from '../engine/engine.js';
import { ensure } from '../errors.js';
import type { Rng } from '../rng/rng.js';
import type { GPT2Config } from './config.js';
import { dropoutSite, dropoutSiteBackward } from './dropout.js';
import {
  allocGpt2BlockActs,
  gpt2BlockBackward,
  gpt2BlockForward,
  type Gpt2BlockActs,
  type Gpt2BlockParams,
} from './gpt2-block.js';
import { Gpt2KvCache } from './gpt2-kv-cache.js';
import { checkBatch, checkLabels, copyIds, copyPositions, fillAttentionMask } from './inputs.js';
import type { BackwardOptions, ForwardOptions, Model, ModelBatch, ModelOutput, Parameter } from './model.js';
import { ParameterSet, type Tensor } from './parameters.js';
import { allocScratch, type LayerDims, type Scratch } from './scratch.js';

interface Workspace {
  N: number; // capacity in rows (B*T)
  NT: number; // capacity in B*T*T
  ids: Int32Array; // [N]
  positions: Int32Array; // [N]
  types: Int32Array; // [N] token_type_ids, embedded with wte as HF GPT2Model does
  sum: Float32Array; // [N, C] wte[ids] + wpe[positions]
  keep: Uint8Array; // [N, C]
  dropped: Float32Array; // [N, C]
  mask: Float32Array; // [B, T, T]
  blocks: Gpt2BlockActs[];
  S: Scratch;
  lnf: Float32Array; // [N, C]
  lnfMean: Float32Array; // [N]
  lnfRstd: Float32Array; // [N]
  logits: Float32Array; // [N, V], then dlogits
  targets: Int32Array; // [N] labels shifted left, -100 at each row's end
  logitsCopy?: Float32Array; // [N, V]
}

interface Pass {
  dims: LayerDims;
  types: boolean;
  h0: Float32Array;
  training: boolean;
  withLoss: boolean;
}

export class Gpt2Model implements Model {
  private readonly params: ParameterSet;
  private readonly wte: Tensor; // [V, C]
  private readonly wpe: Tensor; // [P, C]
  private readonly blocks: Gpt2BlockParams[] = [];
  private readonly lnfW: Tensor;
  private readonly lnfB: Tensor;
  private readonly form: GeluForm;
  private ws?: Workspace;
  private pass?: Pass;

  /** A new model, initialised as HF _init_weights from `seed`, c_proj weights with std 0.02 / sqrt(2 n_layer) as HF does. */
  constructor(
    readonly config: GPT2Config,
    readonly engine: Engine,
    options: { seed?: number } = {},
  ) {
    const { vocab_size: V, n_embd: C, n_positions: P, n_layer: L } = config;
    const F = this.ffn();
    this.form = config.activation_function === 'gelu' ? 'erf' : 'tanh';
    const ps = (this.params = new ParameterSet(engine, config.initializer_range));
    this.wte = ps.add('transformer.wte.weight', [V, C], 'embedding');
    this.wpe = ps.add('transformer.wpe.weight', [P, C], 'embedding');
    const conv = { transposed: true };
    const scaled = { transposed: true, std: config.initializer_range / Math.sqrt(2 * L) };
    for (let l = 0; l < L; l++) {
      const n = `transformer.h.${l}.`;
      this.blocks.push({
        ln1W: ps.add(`${n}ln_1.weight`, [C], 'norm'),
        ln1B: ps.add(`${n}ln_1.bias`, [C], 'bias'),
        attnW: ps.add(`${n}attn.c_attn.weight`, [3 * C, C], 'weight', conv),
        attnB: ps.add(`${n}attn.c_attn.bias`, [3 * C], 'bias'),
        projW: ps.add(`${n}attn.c_proj.weight`, [C, C], 'weight', scaled),
        projB: ps.add(`${n}attn.c_proj.bias`, [C], 'bias'),
        ln2W: ps.add(`${n}ln_2.weight`, [C], 'norm'),
        ln2B: ps.add(`${n}ln_2.bias`, [C], 'bias'),
        fcW: ps.add(`${n}mlp.c_fc.weight`, [F, C], 'weight', conv),
        fcB: ps.add(`${n}mlp.c_fc.bias`, [F], 'bias'),
        fc2W: ps.add(`${n}mlp.c_proj.weight`, [C, F], 'weight', scaled),
        fc2B: ps.add(`${n}mlp.c_proj.bias`, [C], 'bias'),
      });
    }
    this.lnfW = ps.add('transformer.ln_f.weight', [C], 'norm');
    this.lnfB = ps.add('transformer.ln_f.bias', [C], 'bias');
    ps.init(options.seed ?? 0);
  }

  parameters(): Parameter[] {
    return this.params.list;
  }

  zeroGrad(): void {
    this.params.zeroGrad();
  }

  /** A key/value cache over these weights; its prefill is this model's forward (eval mode) on one row. */
  kvCache(): Gpt2KvCache {
    const weights = { wte: this.wte, wpe: this.wpe, blocks: this.blocks, lnfW: this.lnfW, lnfB: this.lnfB };
    return new Gpt2KvCache(this.config, this.engine, weights, this.form, (ids) => {
      const logits = this.forward({ batchSize: 1, length: ids.length, input_ids: ids }, { logits: true })
        .logits as Float32Array;
      return { logits, qkv: (this.ws as Workspace).blocks.map((b) => b.qkv) };
    });
  }

  forward(batch: ModelBatch, options: ForwardOptions = {}): ModelOutput {
    checkBatch(batch);
    if (batch.labels !== undefined) checkLabels(batch.labels, this.config.vocab_size);
    const { batchSize: B, length: T } = batch;
    const ws = this.workspace(B, T);
    const { dims, h0, types } = this.encode(ws, batch, options.rng);
    const out: ModelOutput = {
      loss: undefined,
      lmLoss: undefined,
      count: 0,
      hidden: ws.lnf.subarray(0, B * T * dims.C),
    };
    if (batch.labels !== undefined || options.logits)
      this.lmHead(ws, batch, options.logits ?? false, options.lossWeights?.lm ?? 1, out);
    this.pass = {
      dims,
      types,
      h0,
      training: options.rng !== undefined,
      withLoss: batch.labels !== undefined && out.count > 0,
    };
    return out;
  }

  // Embeddings, blocks and ln_f into ws.lnf [N, C]; returns the layer sizes and the embeddings' output h0.
  private encode(
    ws: Workspace,
    batch: ModelBatch,
    rng: Rng | undefined,
  ): { dims: LayerDims; h0: Float32Array; types: boolean } {
    const c = this.config;
    const { batchSize: B, length: T } = batch;
    const N = B * T;
    const C = c.n_embd;
    const e = this.engine;
    copyIds(ws.ids, batch.input_ids, N, c.vocab_size, 'input id');
    copyPositions(ws.positions, batch, c.n_positions);
    fillAttentionMask(ws.mask, batch, true);
    const dims: LayerDims = {
      B,
      T,
      C,
      H: c.n_head,
      F: this.ffn(),
      eps: c.layer_norm_epsilon,
      p: c.resid_pdrop,
      pAttn: c.attn_pdrop,
    };
    e.embeddingForward(ws.sum, this.wte.data, ws.ids, N, C, false);
    e.embeddingForward(ws.sum, this.wpe.data, ws.positions, N, C, true);
    const types = batch.token_type_ids !== undefined;
    if (types) {
      copyIds(ws.types, batch.token_type_ids, N, c.vocab_size, 'token type id');
      e.embeddingForward(ws.sum, this.wte.data, ws.types, N, C, true);
    }
    const h0 = dropoutSite(e, ws.dropped, ws.keep, ws.sum, N * C, c.embd_pdrop, rng);
    let x = h0;
    this.blocks.forEach((P, l) => {
      gpt2BlockForward(e, P, ws.blocks[l], ws.S, x, ws.mask, dims, this.form, rng);
      x = ws.blocks[l].out;
    });
    e.layerNormForward(ws.lnf, ws.lnfMean, ws.lnfRstd, x, this.lnfW.data, this.lnfB.data, N, C, c.layer_norm_epsilon);
    return { dims, h0, types };
  }

  // logits[N, V] = lnf . wte^T; the shifted loss (targets[b, t] = labels[b, t + 1]) into `out`, `loss` and the
  // gradients times `weight`.
  private lmHead(ws: Workspace, batch: ModelBatch, wantLogits: boolean, weight: number, out: ModelOutput): void {
    const { batchSize: B, length: T, labels } = batch;
    const { n_embd: C, vocab_size: V } = this.config;
    const N = B * T;
    const e = this.engine;
    e.linearForward(ws.logits, ws.lnf, this.wte.data, null, N, C, V);
    if (wantLogits) {
      ws.logitsCopy ??= e.alloc(ws.N * V);
      ws.logitsCopy.set(ws.logits.subarray(0, N * V));
      out.logits = ws.logitsCopy.subarray(0, N * V);
    }
    if (labels === undefined) return;
    let count = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const target = t + 1 < T ? labels[b * T + t + 1] : -100;
        ws.targets[b * T + t] = target;
        if (target !== -100) count++;
      }
    }
    out.count = count;
    out.lmLoss = count > 0 ? e.crossEntropy(ws.logits, ws.targets, N, V, weight / count) / count : 0;
    out.loss = weight * out.lmLoss;
  }

  backward(options: BackwardOptions = {}): void {
    const pass = this.pass;
    const ws = this.ws;
    ensure(pass && ws, 'model.backward() needs a forward() first');
    const e = this.engine;
    const c = this.config;
    const { B, T, C } = pass.dims;
    const N = B * T;
    const S = ws.S;
    if (pass.withLoss)
      e.linearBackward(S.b, this.wte.grad, null, ws.logits, ws.lnf, this.wte.data, N, C, c.vocab_size, false);
    else S.b.fill(0, 0, N * C);
    if (options.dHidden) e.add(S.b, S.b, options.dHidden, N * C);
    const xL = this.blocks.length > 0 ? ws.blocks[this.blocks.length - 1].out : pass.h0;
    e.layerNormBackward(
      S.a,
      this.lnfW.grad,
      this.lnfB.grad,
      S.b,
      xL,
      ws.lnfMean,
      ws.lnfRstd,
      this.lnfW.data,
      N,
      C,
      false,
    );
    for (let l = this.blocks.length - 1; l >= 0; l--) {
      const x = l === 0 ? pass.h0 : ws.blocks[l - 1].out;
      gpt2BlockBackward(e, this.blocks[l], ws.blocks[l], S, x, pass.dims, this.form, pass.training);
    }
    const dsum = dropoutSiteBackward(e, S.b, S.a, ws.keep, N * C, c.embd_pdrop, pass.training);
    e.embeddingBackward(this.wte.grad, dsum, ws.ids, N, C);
    e.embeddingBackward(this.wpe.grad, dsum, ws.positions, N, C);
    if (pass.types) e.embeddingBackward(this.wte.grad, dsum, ws.types, N, C);
  }

  private ffn(): number {
    return this.config.n_inner ?? 4 * this.config.n_embd;
  }

  // Activations sized for at least (B, T); grown (never shrunk) when a batch needs more.
  private workspace(B: number, T: number): Workspace {
    const ws = this.ws;
    const N = B * T;
    if (ws && N <= ws.N && N * T <= ws.NT) return ws;
    const cap = { N: Math.max(N, ws?.N ?? 0), NT: Math.max(N * T, ws?.NT ?? 0) };
    const e = this.engine;
    const { n_embd: C, n_head: H, vocab_size: V } = this.config;
    const F = this.ffn();
    this.ws = {
      ...cap,
      ids: e.allocInt(cap.N),
      positions: e.allocInt(cap.N),
      types: e.allocInt(cap.N),
      sum: e.alloc(cap.N * C),
      keep: e.allocBytes(cap.N * C),
      dropped: e.alloc(cap.N * C),
      mask: e.alloc(cap.NT),
      blocks: this.blocks.map(() => allocGpt2BlockActs(e, cap.N, cap.NT, C, H, F, this.config.attn_pdrop)),
      S: allocScratch(e, cap.N, C, F),
      lnf: e.alloc(cap.N * C),
      lnfMean: e.alloc(cap.N),
      lnfRstd: e.alloc(cap.N),
      logits: e.alloc(cap.N * V),
      targets: e.allocInt(cap.N),
    };
    this.pass = undefined;
    return this.ws;
  }
}
