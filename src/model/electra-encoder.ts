// ELECTRA's encoder (HF ElectraModel): BERT's embeddings at embedding_size E, optionally the very tensors of another
// ELECTRA (the generator shares the discriminator's, google-research/electra untied_generator_embeddings=False),
// embeddings_project E -> H when E != H, then BERT's post-LN layers (ElectraLayer is BertLayer).
import type { Engine } from '../engine/engine.js';
import type { Rng } from '../rng/rng.js';
import {
  allocEmbeddingActs,
  embeddingsBackward,
  embeddingsForward,
  type EmbeddingActs,
  type EmbeddingParams,
} from './bert-heads.js';
import {
  allocBertLayerActs,
  layerBackward,
  layerForward,
  postLnLayer,
  type BertLayerActs,
  type BertLayerParams,
} from './bert-layer.js';
import type { ElectraConfig } from './config.js';
import { copyIds, copyPositions, fillAttentionMask } from './inputs.js';
import type { ModelBatch } from './model.js';
import type { ParameterSet, Tensor } from './parameters.js';
import { allocScratch, type LayerDims, type Scratch } from './scratch.js';

export interface EncoderActs {
  N: number; // capacity in rows (B*T)
  NT: number; // capacity in B*T*T
  emb: EmbeddingActs; // [N, E]
  proj: Float32Array; // [N, H] embeddings_project output (empty when E = H)
  dEmb: Float32Array; // [N, E] gradient on the embeddings' output (empty when E = H)
  layers: BertLayerActs[];
  S: Scratch; // rows of max(E, H) floats, so the embeddings' backward can use it too
  mask: Float32Array; // [B, T, T] additive
}

interface EncoderPass {
  dims: LayerDims;
  h0: Float32Array; // [N, H] the first layer's input
  e0: Float32Array; // [N, E] the embeddings' output
  training: boolean;
}

export class ElectraEncoder {
  readonly emb: EmbeddingParams;
  private readonly projW?: Tensor; // [H, E]
  private readonly projB?: Tensor; // [H]
  private readonly layers: BertLayerParams[] = [];
  private ws?: EncoderActs;
  private pass?: EncoderPass;

  /** Registers HF's names in `ps` under `prefix` ("electra."); `shared` embeddings are registered as views of those tensors. */
  constructor(
    readonly config: ElectraConfig,
    readonly engine: Engine,
    ps: ParameterSet,
    private readonly prefix: string,
    shared?: EmbeddingParams,
  ) {
    const {
      vocab_size: V,
      embedding_size: E,
      hidden_size: C,
      intermediate_size: F,
      max_position_embeddings: P,
      type_vocab_size: TT,
    } = config;
    const e = `${prefix}embeddings.`;
    const view = (t: Tensor | undefined) => (t ? { of: t } : {});
    this.emb = {
      word: ps.add(`${e}word_embeddings.weight`, [V, E], 'embedding', view(shared?.word)),
      position: ps.add(`${e}position_embeddings.weight`, [P, E], 'embedding', view(shared?.position)),
      tokenType: ps.add(`${e}token_type_embeddings.weight`, [TT, E], 'embedding', view(shared?.tokenType)),
      lnW: ps.add(`${e}LayerNorm.weight`, [E], 'norm', view(shared?.lnW)),
      lnB: ps.add(`${e}LayerNorm.bias`, [E], 'bias', view(shared?.lnB)),
      absolute: true,
    };
    if (E !== C) {
      this.projW = ps.add(`${prefix}embeddings_project.weight`, [C, E], 'weight');
      this.projB = ps.add(`${prefix}embeddings_project.bias`, [C], 'bias');
    }
    for (let l = 0; l < config.num_hidden_layers; l++) {
      const n = `${prefix}encoder.layer.${l}.`;
      const qkvW = ps.tensor(3 * C * C);
      const qkvB = ps.tensor(3 * C);
      ['query', 'key', 'value'].forEach((x, i) => {
        ps.add(`${n}attention.self.${x}.weight`, [C, C], 'weight', { of: qkvW, offset: i * C * C });
        ps.add(`${n}attention.self.${x}.bias`, [C], 'bias', { of: qkvB, offset: i * C });
      });
      this.layers.push({
        qkvW,
        qkvB,
        attnOutW: ps.add(`${n}attention.output.dense.weight`, [C, C], 'weight'),
        attnOutB: ps.add(`${n}attention.output.dense.bias`, [C], 'bias'),
        ln1W: ps.add(`${n}attention.output.LayerNorm.weight`, [C], 'norm'),
        ln1B: ps.add(`${n}attention.output.LayerNorm.bias`, [C], 'bias'),
        interW: ps.add(`${n}intermediate.dense.weight`, [F, C], 'weight'),
        interB: ps.add(`${n}intermediate.dense.bias`, [F], 'bias'),
        outW: ps.add(`${n}output.dense.weight`, [C, F], 'weight'),
        outB: ps.add(`${n}output.dense.bias`, [C], 'bias'),
        ln2W: ps.add(`${n}output.LayerNorm.weight`, [C], 'norm'),
        ln2B: ps.add(`${n}output.LayerNorm.bias`, [C], 'bias'),
      });
    }
  }

  /** HF names of the embedding tensors (shareable between generator and discriminator). */
  embNames(): string[] {
    const e = `${this.prefix}embeddings.`;
    return [
      'word_embeddings.weight',
      'position_embeddings.weight',
      'token_type_embeddings.weight',
      'LayerNorm.weight',
      'LayerNorm.bias',
    ].map((n) => e + n);
  }

  /** nn.Embedding(padding_idx): the pad row of the word embeddings starts at zero (after ParameterSet.init). */
  zeroPadRow(): void {
    const E = this.config.embedding_size;
    const pad = this.config.pad_token_id;
    this.emb.word.data.fill(0, pad * E, (pad + 1) * E);
  }

  /** Activations for (B, T), grown (never shrunk). Callers write input ids into acts(B, T).emb.ids. */
  acts(B: number, T: number): EncoderActs {
    const N = B * T;
    if (this.ws && N <= this.ws.N && N * T <= this.ws.NT) return this.ws;
    const cap = { N: Math.max(N, this.ws?.N ?? 0), NT: Math.max(N * T, this.ws?.NT ?? 0) };
    const e = this.engine;
    const {
      embedding_size: E,
      hidden_size: C,
      num_attention_heads: H,
      intermediate_size: F,
      attention_probs_dropout_prob: pAttn,
    } = this.config;
    const project = this.projW !== undefined;
    this.ws = {
      ...cap,
      emb: allocEmbeddingActs(e, cap.N, E),
      proj: e.alloc(project ? cap.N * C : 0),
      dEmb: e.alloc(project ? cap.N * E : 0),
      layers: this.layers.map(() => allocBertLayerActs(e, cap.N, cap.NT, C, H, F, pAttn)),
      S: allocScratch(e, cap.N, Math.max(E, C), F),
      mask: e.alloc(cap.NT),
    };
    this.pass = undefined;
    return this.ws;
  }

  /** Token types, positions and the attention mask from the batch (ids are the caller's); returns the mask or null. */
  inputs(batch: ModelBatch): Float32Array | null {
    const c = this.config;
    const A = this.acts(batch.batchSize, batch.length);
    const N = batch.batchSize * batch.length;
    copyIds(A.emb.types, batch.token_type_ids, N, c.type_vocab_size, 'token type id');
    copyPositions(A.emb.positions, batch, c.max_position_embeddings);
    return batch.attention_mask !== undefined && fillAttentionMask(A.mask, batch, false) ? A.mask : null;
  }

  /** hidden[N, H] from the ids in acts().emb.ids; rng given = training (dropout). */
  forward(B: number, T: number, mask: Float32Array | null, rng: Rng | undefined): Float32Array {
    const c = this.config;
    const e = this.engine;
    const A = this.acts(B, T);
    const N = B * T;
    const { embedding_size: E, hidden_size: C } = c;
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
    const e0 = embeddingsForward(e, this.emb, A.emb, N, E, c.layer_norm_eps, c.hidden_dropout_prob, rng);
    let x = e0;
    if (this.projW && this.projB) {
      e.linearForward(A.proj, e0, this.projW.data, this.projB.data, N, E, C);
      x = A.proj;
    }
    const h0 = x;
    this.layers.forEach((P, l) => {
      layerForward(postLnLayer, e, P, A.layers[l], A.S, x, mask, dims, rng);
      x = A.layers[l].out;
    });
    this.pass = { dims, h0, e0, training: rng !== undefined };
    return x;
  }

  /** The scratch whose `a` [N, H] the heads fill with the gradient on hidden before backward(). */
  scratch(): Scratch {
    return (this.ws as EncoderActs).S;
  }

  /** dHidden in scratch().a -> parameter grads (accumulated; shared embeddings collect both models' gradients). */
  backward(): void {
    const pass = this.pass;
    const A = this.ws as EncoderActs;
    if (!pass) throw new Error('ElectraEncoder.backward() needs a forward() first');
    const e = this.engine;
    const c = this.config;
    const { B, T, C } = pass.dims;
    const N = B * T;
    const E = c.embedding_size;
    const S = A.S;
    for (let l = this.layers.length - 1; l >= 0; l--)
      layerBackward(
        postLnLayer,
        e,
        this.layers[l],
        A.layers[l],
        S,
        l === 0 ? pass.h0 : A.layers[l - 1].out,
        pass.dims,
        pass.training,
      );
    if (this.projW && this.projB) {
      e.linearBackward(A.dEmb, this.projW.grad, this.projB.grad, S.a, pass.e0, this.projW.data, N, E, C, false);
      S.a.set(A.dEmb.subarray(0, N * E));
    }
    embeddingsBackward(e, this.emb, A.emb, S, N, E, c.hidden_dropout_prob, pass.training, c.pad_token_id);
  }
}
