// Reference kernels run on fp32 tensors in the engine and on fp64 tensors in the gradient checks.
export type Floats = Float32Array | Float64Array;
