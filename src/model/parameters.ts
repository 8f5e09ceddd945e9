// Parameters: engine-owned tensors with their grads, registered under HF names (possibly as views into a packed
// tensor, e.g. BERT's query/key/value rows of one qkv[3C, C]). Initialisation as HF _init_weights, one Rng stream
// per parameter name so a tensor's initial values do not depend on the order or number of other parameters.
import type { Engine } from '../engine/engine.js';
import { Rng } from '../rng/rng.js';
import type { Parameter } from './model.js';

export interface Tensor {
  data: Float32Array;
  grad: Float32Array;
}

/** weight: normal(0, std), decays; embedding: the same; bias: 0, no decay; norm: LayerNorm weight 1, no decay. */
export type ParamKind = 'weight' | 'embedding' | 'bias' | 'norm';

interface Entry {
  param: Parameter;
  kind: ParamKind;
  std: number;
}

export class ParameterSet {
  readonly list: Parameter[] = [];
  private readonly entries: Entry[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly std: number,
  ) {}

  /** An unregistered tensor of n floats (the storage that registered views share). */
  tensor(n: number): Tensor {
    return { data: this.engine.alloc(n), grad: this.engine.alloc(n) };
  }

  /** Register `name` with `shape`: fresh storage, or the view of `of` at element `offset`. */
  add(
    name: string,
    shape: number[],
    kind: ParamKind,
    options: { of?: Tensor; offset?: number; transposed?: boolean; std?: number; decay?: boolean } = {},
  ): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const base = options.of ?? this.tensor(n);
    const at = options.offset ?? 0;
    const t = { data: base.data.subarray(at, at + n), grad: base.grad.subarray(at, at + n) };
    const param: Parameter = {
      name,
      shape,
      ...t,
      decay: options.decay ?? (kind === 'weight' || kind === 'embedding'),
      transposed: options.transposed ?? false,
    };
    this.list.push(param);
    this.entries.push({ param, kind, std: options.std ?? this.std });
    return t;
  }

  /** HF _init_weights from per-name streams keyed by `seed`. */
  init(seed: number): void {
    for (const { param, kind, std } of this.entries) {
      const { data } = param;
      if (kind === 'bias') data.fill(0);
      else if (kind === 'norm') data.fill(1);
      else {
        const rng = Rng.fromKey({ seed, purpose: `init:${param.name}` });
        for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
      }
    }
  }

  zeroGrad(): void {
    for (const p of this.list) p.grad.fill(0);
  }
}
