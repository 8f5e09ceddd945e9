// Fused softmax + cross-entropy over rows of logits[N, V], a row per unit. Row n writes
// stats[n] = (sum_j exp(z_j), z_target) in f64, z = logit - max, so the host sums log(sum) - z_target over counted
// rows (no log here: the module keeps no static tables); logits become (softmax - onehot) * gradScale.
// Targets are range-checked by the host; -100 rows are skipped (zero gradient, stats (1, 0)).
import { exp4, hmax, hsum } from './simd';
import { unitStart } from './split';

const IGNORE_INDEX: i32 = -100;

export function crossEntropy(tid: i32, u0: i32, u1: i32, logits: usize, targets: usize, N: i32, V: i32, gradScale: f32, stats: usize): void {
  const n0 = unitStart(u0, 1, N);
  const n1 = unitStart(u1, 1, N);
  const V4 = V & ~3;
  for (let n = n0; n < n1; n++) {
    const row = logits + <usize>n * V * 4;
    const target = load<i32>(targets + (<usize>n << 2));
    if (target == IGNORE_INDEX) {
      memory.fill(row, 0, <usize>V * 4);
      store<f64>(stats + (<usize>n << 4), 1);
      store<f64>(stats + (<usize>n << 4), 0, 8);
      continue;
    }
    let mx = f32x4.splat(-Infinity);
    for (let j = 0; j < V4; j += 4) mx = f32x4.pmax(mx, v128.load(row + (<usize>j << 2)));
    let m = hmax(mx);
    for (let j = V4; j < V; j++) m = max(m, load<f32>(row + (<usize>j << 2)));
    const zTarget = load<f32>(row + (<usize>target << 2)) - m;
    const mv = f32x4.splat(m);
    let acc = f32x4.splat(0);
    for (let j = 0; j < V4; j += 4) {
      const o = <usize>j << 2;
      const e = exp4(f32x4.sub(v128.load(row + o), mv));
      v128.store(row + o, e);
      acc = f32x4.add(acc, e);
    }
    let sum = <f64>hsum(acc);
    for (let j = V4; j < V; j++) {
      const o = <usize>j << 2;
      const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(row + o) - m)), 0);
      store<f32>(row + o, e);
      sum += e;
    }
    store<f64>(stats + (<usize>n << 4), sum);
    store<f64>(stats + (<usize>n << 4), <f64>zTarget, 8);
    const k: f32 = <f32>(<f64>gradScale / sum);
    const kv = f32x4.splat(k);
    for (let j = 0; j < V4; j += 4) v128.store(row + (<usize>j << 2), f32x4.mul(v128.load(row + (<usize>j << 2)), kv));
    for (let j = V4; j < V; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) * k);
    const t = row + (<usize>target << 2);
    store<f32>(t, load<f32>(t) - gradScale);
  }
}
