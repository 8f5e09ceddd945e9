// AdamW over a model's parameters with the engine's adamw kernel (torch.optim.AdamW semantics), HF Trainer's decay
// groups (no decay for biases and LayerNorm weights: Parameter.decay), and torch's clip_grad_norm_.
import type { Engine } from '../engine/engine.js';
import { ensure } from '../errors.js';
import type { Parameter } from '../model/model.js';

export interface AdamWOptions {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Clip the global gradient norm to this before each step; undefined or 0 = no clipping. */
  maxGradNorm?: number;
  /** Which parameters decay (default: Parameter.decay). */
  decay?: (p: Parameter) => boolean;
}

/** Optimizer state by parameter name (copies), for checkpoints. */
export interface AdamWState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export interface StepResult {
  /** The global gradient norm before clipping. */
  gradNorm: number;
  lr: number;
  step: number;
}

/** sqrt of the sum of squares of every gradient (torch.nn.utils.clip_grad_norm_'s total_norm, p = 2). */
export function gradNorm(engine: Engine, params: readonly Parameter[]): number {
  let sum = 0;
  for (const p of params) sum += engine.sumSquares(p.grad, p.grad.length);
  return Math.sqrt(sum);
}

/** torch clip_grad_norm_: scale every gradient by maxNorm / (norm + 1e-6) when that is below 1. Returns the norm. */
export function clipGradNorm(engine: Engine, params: readonly Parameter[], maxNorm: number): number {
  const norm = gradNorm(engine, params);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const p of params) engine.scale(p.grad, p.grad.length, coef);
  return norm;
}

export class AdamW {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly decays: boolean[];
  private t = 0;

  constructor(
    private readonly engine: Engine,
    readonly params: readonly Parameter[],
    readonly options: AdamWOptions,
  ) {
    const names = new Set(params.map((p) => p.name));
    ensure(names.size === params.length, 'adamw: parameter names must be unique');
    this.m = params.map((p) => engine.alloc(p.data.length));
    this.v = params.map((p) => engine.alloc(p.data.length));
    this.decays = params.map((p) => (options.decay ? options.decay(p) : p.decay));
  }

  /** Optimizer steps taken so far. */
  get stepCount(): number {
    return this.t;
  }

  /** Clip (if configured), then one AdamW update of every parameter with `lr` (default options.lr). */
  step(lr: number = this.options.lr): StepResult {
    const { betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, maxGradNorm } = this.options;
    const norm = maxGradNorm ? clipGradNorm(this.engine, this.params, maxGradNorm) : gradNorm(this.engine, this.params);
    this.t++;
    this.params.forEach((p, i) => {
      const wd = this.decays[i] ? weightDecay : 0;
      this.engine.adamw(p.data, p.grad, this.m[i], this.v[i], p.data.length, lr, betas[0], betas[1], eps, wd, this.t);
    });
    return { gradNorm: norm, lr, step: this.t };
  }

  exportState(): AdamWState {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    this.params.forEach((p, i) => {
      m[p.name] = this.m[i].slice();
      v[p.name] = this.v[i].slice();
    });
    return { step: this.t, m, v };
  }

  importState(state: AdamWState): void {
    ensure(Number.isInteger(state.step) && state.step >= 0, `adamw: bad state step ${state.step}`);
    this.params.forEach((p, i) => {
      const m = state.m[p.name];
      const v = state.v[p.name];
      ensure(m !== undefined && v !== undefined, `adamw: state lacks ${p.name}`);
      ensure(m.length === p.data.length && v.length === p.data.length, `adamw: state for ${p.name} has the wrong size`);
      this.m[i].set(m);
      this.v[i].set(v);
    });
    this.t = state.step;
  }
}
