// BERT as HF BertForMaskedLM / BertForPreTraining (modeling_bert.py): embeddings, post-LN encoder, MLM head with
// the decoder tied to the word embeddings, optional pooler + NSP head. Or pre-LN, as HF RobertaPreLayerNormForMaskedLM
// (modeling_roberta_prelayernorm.py): the same embeddings (position p at row p + pad_token_id + 1), pre-LN layers
// (bert-preln-layer.ts), a final LayerNorm after the encoder, RoBERTa's names for the same MLM head. The MLM head runs
// only on labelled positions (sparse prediction); the loss equals HF's dense CrossEntropyLoss(ignore_index=-100) mean.
// With labels (and no request for `hidden`), the last layer's row-wise part (and the final LayerNorm) runs only at the
// rows the heads read: the labelled ones and, with the pooler, each [CLS] row; attention there still covers all positions.
// Positions: absolute (position_embeddings added to the input), or relative_key (a distance_embedding per layer scores
// each query against the keys' offsets, relative-key.ts; the position table stays, unused, as in HF).
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import type { Rng } from '../rng/rng.js';
import {
  allocEmbeddingActs,
  allocMlmHeadActs,
  allocNspHeadActs,
  embeddingsBackward,
  embeddingsForward,
  mlmHeadBackward,
  mlmHeadForward,
  nspHeadBackward,
  nspHeadForward,
  type EmbeddingActs,
  type EmbeddingParams,
  type MlmHeadActs,
  type MlmHeadParams,
  type NspHeadActs,
  type NspHeadParams,
} from './bert-heads.js';
import {
  allocSparseRows,
  layerBackward,
  layerForward,
  postLnLayer,
  sparseLayerBackward,
  sparseLayerForward,
  type AttentionActs,
  type BertLayerParams,
  type EncoderLayerKind,
  type SparseRows,
} from './bert-layer.js';
import { preLnLayer } from './bert-preln-layer.js';
import { countLayerRows, countMlmRows, fillLayerRows, fillMlmRows } from './bert-rows.js';
import { allocScratch, type LayerDims, type Scratch } from './scratch.js';
import { isPreLayerNorm, isRelativeKey, positionOffset, type BertConfig } from './config.js';
import { allocRelativeKeyScratch } from './relative-key.js';
import type { Tensor } from './parameters.js';
import { checkBatch, checkLabels, copyIds, copyPositions, fillAttentionMask } from './inputs.js';
import type { BackwardOptions, ForwardOptions, Model, ModelBatch, ModelOutput, Parameter } from './model.js';
import { ParameterSet } from './parameters.js';

interface Workspace {
  N: number; // capacity in rows (B*T)
  NT: number; // capacity in B*T*T
  B: number; // capacity in sequences
  emb: EmbeddingActs;
  layers: AttentionActs[];
  final?: FinalNormActs; // pre-LN: the final LayerNorm at N rows (or the first K, sparse)
  S: Scratch;
  mask: Float32Array; // [B, T, T]
  mlm?: MlmHeadActs; // sized for mlmRows labelled rows, grown on demand (sparse: ~15% of N)
  mlmRows: number;
  sparse?: SparseRows; // the last layer at selected rows, sized for sparseRows, grown on demand
  sparseRows: number;
  nsp?: NspHeadActs;
  logitsCopy?: Float32Array; // [mlmRows, V], allocated on first request
  pairLogitsCopy?: Float32Array; // [B, 2], allocated on first request
}

interface FinalNormActs {
  out: Float32Array; // [N, C]
  mean: Float32Array; // [N]
  rstd: Float32Array; // [N]
  dOut: Float32Array; // [N, C] the heads' gradient on out
}

interface Pass {
  dims: LayerDims;
  h0: Float32Array;
  training: boolean;
  M: number; // MLM rows run through the head
  mlmX: Float32Array; // [M, C] the head's input rows
  K: number; // rows of the sparse last layer (ws.sparse), or -1 when it ran dense
  mlmLoss: boolean;
  nspLoss: boolean;
}

export class BertModel implements Model {
  private readonly params: ParameterSet;
  private readonly kind: EncoderLayerKind;
  private readonly emb: EmbeddingParams;
  private readonly layers: BertLayerParams[] = [];
  private readonly finalNorm?: { W: Tensor; B: Tensor }; // pre-LN: roberta_prelayernorm.LayerNorm
  private readonly mlm: MlmHeadParams;
  private readonly nsp?: NspHeadParams;
  private ws?: Workspace;
  private pass?: Pass;

  /** A new model, initialised as HF _init_weights from `seed` (load weights over it with loadModel). */
  constructor(
    readonly config: BertConfig,
    readonly engine: Engine,
    options: { seed?: number } = {},
  ) {
    const {
      vocab_size: V,
      hidden_size: C,
      intermediate_size: F,
      max_position_embeddings: P,
      type_vocab_size: TT,
    } = config;
    const ps = (this.params = new ParameterSet(engine, config.initializer_range));
    const preLn = isPreLayerNorm(config);
    const relative = isRelativeKey(config);
    this.kind = preLn ? preLnLayer : postLnLayer;
    const base = preLn ? 'roberta_prelayernorm.' : 'bert.';
    const norm = (name: string) => ({
      W: ps.add(`${name}.weight`, [C], 'norm'),
      B: ps.add(`${name}.bias`, [C], 'bias'),
    });
    const e = `${base}embeddings.`;
    this.emb = {
      word: ps.add(`${e}word_embeddings.weight`, [V, C], 'embedding'),
      // unread under relative_key: no gradient, and no decay either (torch's AdamW skips a parameter without grad)
      position: ps.add(`${e}position_embeddings.weight`, [P, C], 'embedding', { decay: !relative }),
      tokenType: ps.add(`${e}token_type_embeddings.weight`, [TT, C], 'embedding'),
      lnW: ps.add(`${e}LayerNorm.weight`, [C], 'norm'),
      lnB: ps.add(`${e}LayerNorm.bias`, [C], 'bias'),
      absolute: !relative,
    };
    for (let l = 0; l < config.num_hidden_layers; l++) {
      const n = `${base}encoder.layer.${l}.`;
      const qkvW = ps.tensor(3 * C * C);
      const qkvB = ps.tensor(3 * C);
      ['query', 'key', 'value'].forEach((x, i) => {
        ps.add(`${n}attention.self.${x}.weight`, [C, C], 'weight', { of: qkvW, offset: i * C * C });
        ps.add(`${n}attention.self.${x}.bias`, [C], 'bias', { of: qkvB, offset: i * C });
      });
      const distance = relative
        ? ps.add(
            `${n}attention.self.distance_embedding.weight`,
            [2 * P - 1, C / config.num_attention_heads],
            'embedding',
          )
        : undefined;
      const attnOutW = ps.add(`${n}attention.output.dense.weight`, [C, C], 'weight');
      const attnOutB = ps.add(`${n}attention.output.dense.bias`, [C], 'bias');
      // post-LN: LayerNorm after each residual sum; pre-LN: before the attention and before the FFN (HF's order)
      const ln1 = norm(preLn ? `${n}attention.LayerNorm` : `${n}attention.output.LayerNorm`);
      const preFfn = preLn ? norm(`${n}intermediate.LayerNorm`) : undefined;
      const interW = ps.add(`${n}intermediate.dense.weight`, [F, C], 'weight');
      const interB = ps.add(`${n}intermediate.dense.bias`, [F], 'bias');
      const outW = ps.add(`${n}output.dense.weight`, [C, F], 'weight');
      const outB = ps.add(`${n}output.dense.bias`, [C], 'bias');
      const ln2 = preFfn ?? norm(`${n}output.LayerNorm`);
      this.layers.push({
        qkvW,
        qkvB,
        attnOutW,
        attnOutB,
        ln1W: ln1.W,
        ln1B: ln1.B,
        interW,
        interB,
        outW,
        outB,
        ln2W: ln2.W,
        ln2B: ln2.B,
        distance,
      });
    }
    if (preLn) this.finalNorm = norm(`${base}LayerNorm`);
    const nsp = config.architectures[0] === 'BertForPreTraining';
    const poolW = nsp ? ps.add('bert.pooler.dense.weight', [C, C], 'weight') : undefined;
    const poolB = nsp ? ps.add('bert.pooler.dense.bias', [C], 'bias') : undefined;
    const h = preLn // RobertaLMHead / BertLMPredictionHead: the same dense, gelu, LayerNorm, tied decoder + bias
      ? { bias: 'lm_head.bias', dense: 'lm_head.dense', ln: 'lm_head.layer_norm' }
      : {
          bias: 'cls.predictions.bias',
          dense: 'cls.predictions.transform.dense',
          ln: 'cls.predictions.transform.LayerNorm',
        };
    this.mlm = {
      bias: ps.add(h.bias, [V], 'bias'),
      denseW: ps.add(`${h.dense}.weight`, [C, C], 'weight'),
      denseB: ps.add(`${h.dense}.bias`, [C], 'bias'),
      lnW: ps.add(`${h.ln}.weight`, [C], 'norm'),
      lnB: ps.add(`${h.ln}.bias`, [C], 'bias'),
      decoderW: this.emb.word,
    };
    if (poolW && poolB) {
      this.nsp = {
        poolW,
        poolB,
        clsW: ps.add('cls.seq_relationship.weight', [2, C], 'weight'),
        clsB: ps.add('cls.seq_relationship.bias', [2], 'bias'),
      };
    }
    ps.init(options.seed ?? 0);
    const pad = config.pad_token_id;
    this.emb.word.data.fill(0, pad * C, (pad + 1) * C); // padding_idx row
    if (preLn) this.emb.position.data.fill(0, pad * C, (pad + 1) * C); // RoBERTa's position embeddings have it too
  }

  parameters(): Parameter[] {
    return this.params.list;
  }

  zeroGrad(): void {
    this.params.zeroGrad();
  }

  forward(batch: ModelBatch, options: ForwardOptions = {}): ModelOutput {
    checkBatch(batch);
    if (batch.labels !== undefined) checkLabels(batch.labels, this.config.vocab_size);
    const { batchSize: B, length: T } = batch;
    const ws = this.workspace(B, T);
    const wantLogits = options.logits ?? false;
    const M = this.selectMlmRows(ws, batch, wantLogits);
    const K = batch.labels !== undefined && !options.hidden ? this.selectLayerRows(ws, batch) : -1;
    const { dims, h0, top } = this.encode(ws, batch, options.rng, K);
    const out: ModelOutput = {
      loss: undefined,
      lmLoss: undefined,
      count: 0,
      hidden: K < 0 ? top.subarray(0, B * T * dims.C) : undefined,
    };
    const weights = { mlm: options.lossWeights?.mlm ?? 1, pair: options.lossWeights?.pair ?? 1 };
    const mlmX = this.mlmForward(ws, batch, top, M, K, wantLogits, weights.mlm, out);
    if (this.nsp && ws.nsp) this.nspForward(ws, batch, top, K, options.pairLogits ?? false, weights.pair, out);
    this.pass = {
      dims,
      h0,
      training: options.rng !== undefined,
      M,
      mlmX,
      K,
      mlmLoss: batch.labels !== undefined && M > 0,
      nspLoss: out.nspLoss !== undefined,
    };
    return out;
  }

  // Embeddings + encoder: the layer sizes, the embeddings' output h0 and the last layer's output `top`: [N, C], or
  // [K, C] at the rows ws.sparse.rows when K >= 0.
  private encode(
    ws: Workspace,
    batch: ModelBatch,
    rng: Rng | undefined,
    K: number,
  ): { dims: LayerDims; h0: Float32Array; top: Float32Array } {
    const c = this.config;
    const { batchSize: B, length: T } = batch;
    const N = B * T;
    const C = c.hidden_size;
    const e = this.engine;
    copyIds(ws.emb.ids, batch.input_ids, N, c.vocab_size, 'input id');
    copyIds(ws.emb.types, batch.token_type_ids, N, c.type_vocab_size, 'token type id');
    const offset = positionOffset(c);
    copyPositions(ws.emb.positions, batch, c.max_position_embeddings - offset, offset);
    const mask = batch.attention_mask !== undefined && fillAttentionMask(ws.mask, batch, false) ? ws.mask : null;
    const dims: LayerDims = {
      B,
      T,
      C,
      H: c.num_attention_heads,
      F: c.intermediate_size,
      eps: c.layer_norm_eps,
      p: c.hidden_dropout_prob,
      pAttn: c.attention_probs_dropout_prob,
    };
    const h0 = embeddingsForward(e, this.emb, ws.emb, N, C, c.layer_norm_eps, c.hidden_dropout_prob, rng);
    let x = h0;
    this.layers.forEach((P, l) => {
      const R = l === this.layers.length - 1 && K >= 0 ? (ws.sparse as SparseRows) : undefined;
      if (R) sparseLayerForward(this.kind, e, P, ws.layers[l], R, ws.S, x, K, mask, dims, rng);
      else layerForward(this.kind, e, P, ws.layers[l], ws.S, x, mask, dims, rng);
      x = R ? R.acts.out : ws.layers[l].out;
    });
    const f = ws.final;
    const rows = K >= 0 ? K : N;
    if (!this.finalNorm || !f) return { dims, h0, top: x };
    if (rows > 0)
      e.layerNormForward(
        f.out,
        f.mean,
        f.rstd,
        x,
        this.finalNorm.W.data,
        this.finalNorm.B.data,
        rows,
        C,
        c.layer_norm_eps,
      );
    return { dims, h0, top: f.out };
  }

  // The MLM head's rows and targets (bert-rows.ts); returns their count M.
  private selectMlmRows(ws: Workspace, batch: ModelBatch, wantLogits: boolean): number {
    const N = batch.batchSize * batch.length;
    const M = countMlmRows(batch.labels, N, wantLogits);
    fillMlmRows(this.mlmActs(ws, M), batch.labels, N, M);
    return M;
  }

  // The sparse last layer's rows and where the heads' rows sit among them (bert-rows.ts); returns their count K.
  private selectLayerRows(ws: Workspace, batch: ModelBatch): number {
    const { batchSize: B, length: T } = batch;
    const labels = batch.labels as Int32Array;
    const K = countLayerRows(labels, B, T, ws.nsp !== undefined);
    fillLayerRows(this.sparseActs(ws, K), ws.mlm as MlmHeadActs, ws.nsp, labels, B, T);
    return K;
  }

  // MLM head on its M rows of `top` (the sparse layer's output as is when it holds exactly those rows, else gathered);
  // logits and loss into `out`. Returns the head's input [M, C].
  private mlmForward(
    ws: Workspace,
    batch: ModelBatch,
    top: Float32Array,
    M: number,
    K: number,
    wantLogits: boolean,
    weight: number,
    out: ModelOutput,
  ): Float32Array {
    const { vocab_size: V, hidden_size: C } = this.config;
    const e = this.engine;
    const mlm = ws.mlm as MlmHeadActs;
    const x = K === M ? top : mlm.x;
    if (M > 0 && x === mlm.x) e.gatherRows(mlm.x, top, K < 0 ? mlm.rows : mlm.at, M, C);
    if (M > 0) mlmHeadForward(e, this.mlm, mlm, x, M, C, V, this.config.layer_norm_eps);
    if (M > 0 && wantLogits) {
      if (!ws.logitsCopy || ws.logitsCopy.length < M * V) ws.logitsCopy = e.alloc(ws.mlmRows * V);
      ws.logitsCopy.set(mlm.logits.subarray(0, M * V));
      out.logits = ws.logitsCopy.subarray(0, M * V);
      out.logitRows = mlm.rows.subarray(0, M);
    }
    if (batch.labels !== undefined) {
      out.count = M;
      out.lmLoss = M > 0 ? e.crossEntropy(mlm.logits, mlm.targets, M, V, weight / M) / M : 0;
      out.loss = weight * out.lmLoss;
    }
    return x;
  }

  // Pooler (always) and the NSP loss (with next_sentence_label) times `weight`, added to out.loss. The [CLS] rows of
  // `top`: b*T when dense, else as selectLayerRows recorded them.
  private nspForward(
    ws: Workspace,
    batch: ModelBatch,
    top: Float32Array,
    K: number,
    wantLogits: boolean,
    weight: number,
    out: ModelOutput,
  ): void {
    const { batchSize: B, length: T } = batch;
    const C = this.config.hidden_size;
    const labels = batch.next_sentence_label;
    const nsp = ws.nsp as NspHeadActs;
    if (K < 0) for (let b = 0; b < B; b++) nsp.rows[b] = b * T;
    nspHeadForward(this.engine, this.nsp as NspHeadParams, nsp, top, B, C, labels !== undefined || wantLogits);
    out.pooled = nsp.pooled.subarray(0, B * C);
    if (wantLogits) {
      if (!ws.pairLogitsCopy || ws.pairLogitsCopy.length < B * 2) ws.pairLogitsCopy = this.engine.alloc(ws.B * 2);
      ws.pairLogitsCopy.set(nsp.logits.subarray(0, B * 2));
      out.pairLogits = ws.pairLogitsCopy.subarray(0, B * 2);
    }
    if (labels === undefined) return;
    copyIds(nsp.targets, labels, B, 2, 'next_sentence_label');
    out.nspLoss = this.engine.crossEntropy(nsp.logits, nsp.targets, B, 2, weight / B) / B;
    out.loss = (out.loss ?? 0) + weight * out.nspLoss;
  }

  backward(options: BackwardOptions = {}): void {
    const pass = this.pass;
    const ws = this.ws;
    ensure(pass && ws, 'model.backward() needs a forward() first');
    ensure(
      pass.K < 0 || !options.dHidden,
      'model.backward({ dHidden }) needs forward(batch, { hidden: true }): with labels the last layer runs only at the rows the heads read',
    );
    const e = this.engine;
    const c = this.config;
    const { B, T, C } = pass.dims;
    const N = B * T;
    const S = ws.S;
    const last = this.layers.length - 1;
    const R = pass.K >= 0 ? (ws.sparse as SparseRows) : undefined;
    const dLast = R ? R.dOut : S.a; // the gradient on the last layer's output, as its backward takes it
    const dTop = ws.final ? ws.final.dOut : dLast; // ... and on the top (pre-LN: the final LayerNorm's output)
    this.headsBackward(ws, pass, dTop);
    if (options.dHidden) e.add(dTop, dTop, options.dHidden, N * C);
    if (this.finalNorm && ws.final)
      this.finalNormBackward(ws.final, dLast, R ? R.acts.out : ws.layers[last].out, R ? pass.K : N);
    for (let l = last; l >= 0; l--) {
      const x = l === 0 ? pass.h0 : ws.layers[l - 1].out;
      if (l === last && R)
        sparseLayerBackward(this.kind, e, this.layers[l], ws.layers[l], R, S, x, pass.K, pass.dims, pass.training);
      else layerBackward(this.kind, e, this.layers[l], ws.layers[l], S, x, pass.dims, pass.training);
    }
    embeddingsBackward(e, this.emb, ws.emb, S, N, C, c.hidden_dropout_prob, pass.training, c.pad_token_id);
  }

  // The final LayerNorm's backward at `rows` rows: f.dOut -> dx (overwritten) for its input x.
  private finalNormBackward(f: FinalNormActs, dx: Float32Array, x: Float32Array, rows: number): void {
    const { W, B } = this.finalNorm as { W: Tensor; B: Tensor };
    if (rows > 0)
      this.engine.layerNormBackward(
        dx,
        W.grad,
        B.grad,
        f.dOut,
        x,
        f.mean,
        f.rstd,
        W.data,
        rows,
        this.config.hidden_size,
        false,
      );
  }

  // The heads' gradient on `top` into dTop: [N, C] (dense) or [K, C] (the sparse layer's rows); the MLM head writes
  // its input gradient there directly when its rows are exactly the sparse layer's.
  private headsBackward(ws: Workspace, pass: Pass, dTop: Float32Array): void {
    const e = this.engine;
    const { B, T, C } = pass.dims;
    const S = ws.S;
    const direct = pass.K === pass.M && pass.mlmLoss;
    if (!direct) dTop.fill(0, 0, (pass.K >= 0 ? pass.K : B * T) * C);
    if (pass.mlmLoss && ws.mlm) {
      mlmHeadBackward(e, this.mlm, ws.mlm, S, direct ? dTop : S.c, pass.mlmX, pass.M, C, this.config.vocab_size);
      if (!direct) e.scatterAddRows(dTop, S.c, pass.K >= 0 ? ws.mlm.at : ws.mlm.rows, pass.M, C);
    }
    if (pass.nspLoss && this.nsp && ws.nsp) nspHeadBackward(e, this.nsp, ws.nsp, dTop, B, C);
  }

  // Activations sized for at least (B, T); grown (never shrunk) when a batch needs more.
  private workspace(B: number, T: number): Workspace {
    const ws = this.ws;
    const N = B * T;
    if (ws && N <= ws.N && N * T <= ws.NT && B <= ws.B) return ws;
    const cap = { N: Math.max(N, ws?.N ?? 0), NT: Math.max(N * T, ws?.NT ?? 0), B: Math.max(B, ws?.B ?? 0) };
    const e = this.engine;
    const {
      hidden_size: C,
      num_attention_heads: H,
      intermediate_size: F,
      attention_probs_dropout_prob: pAttn,
    } = this.config;
    this.ws = {
      ...cap,
      emb: allocEmbeddingActs(e, cap.N, C),
      layers: this.layers.map(() => this.kind.alloc(e, cap.N, cap.NT, C, H, F, pAttn)),
      final: this.finalNorm
        ? { out: e.alloc(cap.N * C), mean: e.alloc(cap.N), rstd: e.alloc(cap.N), dOut: e.alloc(cap.N * C) }
        : undefined,
      S: {
        ...allocScratch(e, cap.N, C, F),
        rel: isRelativeKey(this.config) ? allocRelativeKeyScratch(e, cap.N, cap.NT, C, H) : undefined,
      },
      mask: e.alloc(cap.NT),
      mlmRows: 0,
      sparseRows: 0,
      nsp: this.nsp ? allocNspHeadActs(e, cap.B, C) : undefined,
    };
    this.pass = undefined;
    return this.ws;
  }

  // MLM head activations for M rows; grown with headroom (each growth is a fresh engine allocation).
  private mlmActs(ws: Workspace, M: number): MlmHeadActs {
    if (ws.mlm && M <= ws.mlmRows) return ws.mlm;
    ws.mlmRows = withHeadroom(M, ws.N);
    ws.mlm = allocMlmHeadActs(this.engine, ws.mlmRows, this.config.hidden_size, this.config.vocab_size);
    ws.logitsCopy = undefined;
    return ws.mlm;
  }

  // The sparse last layer's activations for K rows; grown with headroom like the MLM head's.
  private sparseActs(ws: Workspace, K: number): SparseRows {
    if (ws.sparse && K <= ws.sparseRows) return ws.sparse;
    ws.sparseRows = withHeadroom(K, ws.N);
    ws.sparse = allocSparseRows(
      this.kind,
      this.engine,
      ws.sparseRows,
      this.config.hidden_size,
      this.config.intermediate_size,
    );
    return ws.sparse;
  }
}

/** Rows to allocate for n (at most cap): half as many again, so the per-batch spread of the mask count fits. */
const withHeadroom = (n: number, cap: number) => Math.min(cap, Math.max(n, Math.ceil(1.5 * n), 1));
