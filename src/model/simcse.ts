// SimCSE on BERT (princeton-nlp/SimCSE models.py BertForCL), built on BertModel through the Model contract:
// the K views of each example (anchor, positive[, hard negative]) run as one [K*B, T] batch (interleaved as SimCSE's
// view(-1, len)), so each copy gets its own dropout masks; a pooler makes one vector per view ('cls': [CLS] through
// the MLP dense + tanh; 'cls_before_pooler': [CLS]; 'avg': mean over real tokens); InfoNCE (simcse-loss.ts) gives
// dz, which flows back through the pooler into backward({ dHidden }).
// Saved as HF BertModel (SimCSE's simcse_to_huggingface.py): embeddings.*, encoder.*, and the MLP as pooler.dense.*.
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import { BertModel } from './bert.js';
import { bertConfig, type BertConfig } from './config.js';
import type { BackwardOptions, ForwardOptions, Model, ModelBatch, ModelOutput, Parameter } from './model.js';
import { ParameterSet, type Tensor } from './parameters.js';
import { infoNce } from './simcse-loss.js';

export type SimcsePooler = 'cls' | 'cls_before_pooler' | 'avg';
export const SIMCSE_POOLERS: readonly SimcsePooler[] = ['cls', 'cls_before_pooler', 'avg'];

/** The SimCSE settings a BertModel config.json carries (an extra key HF keeps): poolers per phase, temperature. */
export interface SimcseSettings {
  pooler: SimcsePooler;
  eval_pooler: SimcsePooler;
  temperature: number;
  hard_negative_weight: number;
}

/** The config.json of a SimCSE model: HF BertModel with the settings under `simcse`. */
export function simcseConfig(bert: Partial<BertConfig>, settings: Partial<SimcseSettings> = {}): BertConfig {
  const s: SimcseSettings = {
    pooler: 'cls',
    eval_pooler: 'cls',
    temperature: 0.05,
    hard_negative_weight: 0,
    ...(bert.simcse as object),
    ...settings,
  };
  ensure(
    SIMCSE_POOLERS.includes(s.pooler) && SIMCSE_POOLERS.includes(s.eval_pooler),
    `simcse: poolers must be one of ${SIMCSE_POOLERS.join(', ')} (got ${s.pooler}, ${s.eval_pooler})`,
  );
  ensure(
    s.temperature > 0 && Number.isFinite(s.hard_negative_weight),
    'simcse: temperature must be > 0 and hard_negative_weight finite',
  );
  return bertConfig({ ...bert, architectures: ['BertModel'], simcse: s });
}

interface Pass {
  B: number;
  K: 1 | 2 | 3;
  T: number;
  pooler: SimcsePooler;
  mask: Uint8Array | undefined; // [K*B*T] the stacked padding mask
  loss: boolean;
}

export class SimcseModel implements Model {
  readonly settings: SimcseSettings;
  readonly bert: BertModel;
  private readonly mlp: { W: Tensor; b: Tensor }; // [C, C], [C]
  private readonly list: Parameter[];
  private acts?: {
    rows: number;
    cls: Int32Array;
    x: Float32Array;
    pre: Float32Array;
    z: Float32Array;
    dz: Float32Array;
    dx: Float32Array;
    dHidden: Float32Array;
  };
  private pass?: Pass;

  constructor(
    readonly config: BertConfig,
    readonly engine: Engine,
    options: { seed?: number } = {},
  ) {
    this.settings = simcseConfig(config).simcse as SimcseSettings;
    ensure(config.architectures[0] === 'BertModel', `simcse: the model is a BertModel, not ${config.architectures[0]}`);
    this.bert = new BertModel(bertConfig({ ...config, architectures: ['BertForMaskedLM'] }), engine, options);
    const ps = new ParameterSet(engine, config.initializer_range);
    const C = config.hidden_size;
    this.mlp = { W: ps.add('pooler.dense.weight', [C, C], 'weight'), b: ps.add('pooler.dense.bias', [C], 'bias') };
    ps.init(options.seed ?? 0);
    const encoder = this.bert.parameters().filter((p) => p.name.startsWith('bert.'));
    this.list = [...encoder.map((p) => ({ ...p, name: p.name.slice('bert.'.length) })), ...ps.list];
  }

  /** HF BertModel names: embeddings.*, encoder.*, pooler.dense.* (BERT's MLM head is not part of it). */
  parameters(): Parameter[] {
    return this.list;
  }

  zeroGrad(): void {
    for (const p of this.list) p.grad.fill(0);
  }

  /**
   * With positive_input_ids (and negative_input_ids: supervised), the InfoNCE loss over the batch with the training
   * pooler; `pooled` [K*B, C] the views' vectors. Without, `pooled` [B, C] with the evaluation pooler (eval mode).
   */
  forward(batch: ModelBatch, options: ForwardOptions = {}): ModelOutput {
    const B = batch.batchSize;
    const views = [batch.input_ids, batch.positive_input_ids, batch.negative_input_ids].filter(
      (v): v is Int32Array => v !== undefined,
    );
    const K = views.length as 1 | 2 | 3;
    ensure(K === 1 || batch.positive_input_ids !== undefined, 'simcse: negative_input_ids need positive_input_ids');
    const { input_ids, mask, T } = stackViews(
      views,
      [batch.attention_mask, batch.positive_attention_mask, batch.negative_attention_mask],
      B,
      batch.length,
      this.config.pad_token_id,
    );
    const training = K > 1;
    const pooler = training ? this.settings.pooler : this.settings.eval_pooler;
    const hidden = this.bert.forward(
      { batchSize: K * B, length: T, input_ids, attention_mask: mask },
      { rng: options.rng, hidden: true },
    ).hidden as Float32Array;
    const z = this.pool(hidden, K * B, T, mask, pooler);
    const out: ModelOutput = { loss: undefined, lmLoss: undefined, count: 0, pooled: z, hidden };
    this.pass = { B, K, T, pooler, mask, loss: training };
    if (!training) return out;
    const A = this.acts as NonNullable<SimcseModel['acts']>;
    const { loss, correct } = infoNce(
      z,
      B,
      K as 2 | 3,
      this.config.hidden_size,
      this.settings.temperature,
      this.settings.hard_negative_weight,
      A.dz,
    );
    const weight = options.lossWeights?.contrastive ?? 1;
    if (weight !== 1) this.engine.scale(A.dz, K * B * this.config.hidden_size, weight);
    return { ...out, loss: weight * loss, lmLoss: loss, count: B, lmCorrect: correct };
  }

  // z[R, C]: one vector per stacked row.
  private pool(
    hidden: Float32Array,
    R: number,
    T: number,
    mask: Uint8Array | undefined,
    pooler: SimcsePooler,
  ): Float32Array {
    const C = this.config.hidden_size;
    const A = this.poolActs(R);
    const e = this.engine;
    if (pooler === 'avg') {
      for (let r = 0; r < R; r++) {
        let n = 0;
        for (let t = 0; t < T; t++) n += mask ? mask[r * T + t] : 1;
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (let t = 0; t < T; t++) if (!mask || mask[r * T + t]) s += hidden[(r * T + t) * C + c];
          A.z[r * C + c] = s / Math.max(n, 1);
        }
      }
      return A.z.subarray(0, R * C);
    }
    for (let r = 0; r < R; r++) A.cls[r] = r * T;
    e.gatherRows(pooler === 'cls' ? A.x : A.z, hidden, A.cls, R, C);
    if (pooler === 'cls') {
      e.linearForward(A.pre, A.x, this.mlp.W.data, this.mlp.b.data, R, C, C);
      e.tanhForward(A.z, A.pre, R * C);
    }
    return A.z.subarray(0, R * C);
  }

  /** The InfoNCE gradient back through the pooler into BERT (plus dHidden on the stacked hidden states, if given). */
  backward(options: BackwardOptions = {}): void {
    const pass = this.pass;
    ensure(pass && pass.loss, 'simcse: backward() needs a forward() with positive_input_ids first');
    const { B, K, T, pooler, mask } = pass;
    const R = K * B;
    const C = this.config.hidden_size;
    const A = this.acts as NonNullable<SimcseModel['acts']>;
    const e = this.engine;
    const dHidden = A.dHidden.subarray(0, R * T * C);
    dHidden.fill(0);
    if (pooler === 'avg') {
      for (let r = 0; r < R; r++) {
        let n = 0;
        for (let t = 0; t < T; t++) n += mask ? mask[r * T + t] : 1;
        for (let t = 0; t < T; t++) {
          if (mask && !mask[r * T + t]) continue;
          for (let c = 0; c < C; c++) dHidden[(r * T + t) * C + c] = A.dz[r * C + c] / Math.max(n, 1);
        }
      }
    } else if (pooler === 'cls') {
      e.tanhBackward(A.dx, A.dz, A.z, R * C, false);
      e.linearBackward(A.pre, this.mlp.W.grad, this.mlp.b.grad, A.dx, A.x, this.mlp.W.data, R, C, C, false);
      e.scatterAddRows(dHidden, A.pre, A.cls, R, C);
    } else e.scatterAddRows(dHidden, A.dz, A.cls, R, C);
    if (options.dHidden) e.add(dHidden, dHidden, options.dHidden, R * T * C);
    this.bert.backward({ dHidden });
  }

  // Pooler activations for R stacked rows (dHidden for up to max_position_embeddings tokens each), grown on demand.
  private poolActs(R: number): NonNullable<SimcseModel['acts']> {
    if (this.acts && this.acts.rows >= R) return this.acts;
    const e = this.engine;
    const C = this.config.hidden_size;
    const cap = this.config.max_position_embeddings;
    this.acts = {
      rows: R,
      cls: e.allocInt(R),
      x: e.alloc(R * C),
      pre: e.alloc(R * C),
      z: e.alloc(R * C),
      dz: e.alloc(R * C),
      dx: e.alloc(R * C),
      dHidden: e.alloc(R * cap * C),
    };
    return this.acts;
  }
}

/**
 * The K views as one [K*B, T] batch, row b*K + k = view k of example b (SimCSE's view(-1, len)). A view may be
 * [B, T_k] of its own width (T = the widest); padding is where its mask is not 1 or its id is negative (a collate
 * pads ragged fields with -1), written as padId with mask 0. Returns undefined mask when nothing is padding.
 */
export function stackViews(
  views: Int32Array[],
  masks: (Uint8Array | undefined)[],
  B: number,
  length: number,
  padId: number,
): { input_ids: Int32Array; mask: Uint8Array | undefined; T: number } {
  const K = views.length;
  const widths = views.map((v, k) => {
    ensure(
      v.length % B === 0 && (masks[k] === undefined || masks[k]?.length === v.length),
      'simcse: every view is [B, T_view] (ids and padding mask alike)',
    );
    return k === 0 ? length : v.length / B;
  });
  const T = Math.max(...widths);
  const input_ids = new Int32Array(K * B * T).fill(padId);
  const mask = new Uint8Array(K * B * T);
  let padded = false;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      const W = widths[k];
      for (let t = 0; t < T; t++) {
        const id = t < W ? views[k][b * W + t] : -1;
        const real = id >= 0 && (masks[k] === undefined || masks[k]?.[b * W + t] === 1);
        const to = (b * K + k) * T + t;
        if (real) input_ids[to] = id;
        mask[to] = real ? 1 : 0;
        padded ||= !real;
      }
    }
  }
  return { input_ids, mask: padded ? mask : undefined, T };
}
