// One grow-only f64 buffer for the kernels' row sums, so no kernel allocates per call. Kernels run one at a time
// and none calls another while holding it.
let buffer = new Float64Array(1024);

/** A Float64Array of at least n elements (contents undefined). */
export function scratch(n: number): Float64Array {
  if (buffer.length < n) buffer = new Float64Array(Math.max(n, 2 * buffer.length));
  return buffer;
}
