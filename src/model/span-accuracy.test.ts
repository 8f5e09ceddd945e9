import { describe, expect, it } from 'vitest';
import { addSpanAccuracy } from './span-accuracy.js';

const V = 10;
// logits whose argmax at each position is predicted[t]
const logitsFor = (predicted: number[]) => {
  const x = new Float32Array(predicted.length * V);
  predicted.forEach((id, t) => (x[t * V + id] = 1));
  return x;
};
const zero = () => ({ spans: 0, exact: 0, tokens: 0, correct: 0 });

describe('exact-span accuracy', () => {
  it('splits a span-corruption target at its sentinels (9, 8, ... in order); a span needs its tokens and the token that closes it', () => {
    // labels: <9> 3 4 <8> 5 eos, then padding
    const labels = Int32Array.of(9, 3, 4, 8, 5, 1, -100);
    expect(addSpanAccuracy(zero(), logitsFor([9, 3, 4, 8, 5, 1, 0]), labels, 1, 7, V)).toEqual({
      spans: 2,
      exact: 2,
      tokens: 6,
      correct: 6,
    });
    // the second sentinel missed: span 1 did not close, span 2 is still right
    expect(addSpanAccuracy(zero(), logitsFor([9, 3, 4, 7, 5, 1, 0]), labels, 1, 7, V)).toMatchObject({
      spans: 2,
      exact: 1,
      correct: 5,
    });
    // a wrong first sentinel does not count against a span (the decoder start predicts it)
    expect(addSpanAccuracy(zero(), logitsFor([2, 3, 4, 8, 6, 1, 0]), labels, 1, 7, V)).toMatchObject({
      spans: 2,
      exact: 1,
      correct: 4,
    });
  });

  it('counts a row without sentinels as one span (also one holding a high id out of order), and adds batches up', () => {
    const labels = Int32Array.of(3, 8, 1, -100, 5, 1, -100, -100); // row 0 holds 8 but does not start with 9
    const acc = addSpanAccuracy(zero(), logitsFor([3, 8, 1, 0, 5, 2, 0, 0]), labels, 2, 4, V);
    expect(acc).toEqual({ spans: 2, exact: 1, tokens: 5, correct: 4 });
    addSpanAccuracy(acc, logitsFor([3, 8, 1, 0, 5, 1, 0, 0]), labels, 2, 4, V);
    expect(acc).toEqual({ spans: 4, exact: 3, tokens: 10, correct: 9 });
  });
});
