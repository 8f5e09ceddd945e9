// A draw per row from softmax(logits[m] / temperature) by inverse CDF (ELECTRA's generator samples), a row per
// unit: out[m] = the first v whose cumulative weight exp((z_v - max) / temperature) exceeds uniform[m] times the
// row's total, V - 1 if rounding leaves none. Weights are recomputed in the walk rather than kept (exp4 is cheap
// next to a second pass over memory); the walk adds whole 4-lane blocks until the block that crosses the target.
import { exp4, hmax, hsum } from './simd';
import { unitStart } from './split';

export function softmaxSample(tid: i32, u0: i32, u1: i32, out: usize, logits: usize, uniform: usize, M: i32, V: i32, invTemperature: f32): void {
  const m0 = unitStart(u0, 1, M);
  const m1 = unitStart(u1, 1, M);
  const V4 = V & ~3;
  const inv = f32x4.splat(invTemperature);
  for (let m = m0; m < m1; m++) {
    const row = logits + <usize>m * V * 4;
    let mx = f32x4.splat(-Infinity);
    for (let j = 0; j < V4; j += 4) mx = f32x4.pmax(mx, v128.load(row + (<usize>j << 2)));
    let top = hmax(mx);
    for (let j = V4; j < V; j++) top = max(top, load<f32>(row + (<usize>j << 2)));
    const tv = f32x4.splat(top);
    // The total is summed block by block in f64, as the walk below sums it, so the walk crosses u x total.
    let sum: f64 = 0;
    for (let j = 0; j < V4; j += 4) sum += <f64>hsum(exp4(f32x4.mul(f32x4.sub(v128.load(row + (<usize>j << 2)), tv), inv)));
    for (let j = V4; j < V; j++) sum += <f64>weight(row, j, top, invTemperature);
    const target = <f64>load<f32>(uniform + (<usize>m << 2)) * sum;
    let pick = -1;
    let run: f64 = 0;
    for (let j = 0; j < V4; j += 4) {
      let w = exp4(f32x4.mul(f32x4.sub(v128.load(row + (<usize>j << 2)), tv), inv));
      const block = <f64>hsum(w);
      if (run + block > target) {
        // the block crosses: its lanes one by one (the last lane if rounding leaves the first three short)
        let l = 0;
        for (; l < 3; l++) {
          run += <f64>f32x4.extract_lane(w, 0);
          if (run > target) break;
          w = v128.shuffle<f32>(w, w, 1, 2, 3, 0);
        }
        pick = j + l;
        break;
      }
      run += block;
    }
    for (let j = V4; pick < 0 && j < V; j++) {
      run += <f64>weight(row, j, top, invTemperature);
      if (run > target) pick = j;
    }
    if (pick < 0) pick = V - 1;
    store<i32>(out + (<usize>m << 2), pick);
  }
}

@inline function weight(row: usize, j: i32, top: f32, invTemperature: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat((load<f32>(row + (<usize>j << 2)) - top) * invTemperature)), 0);
}
