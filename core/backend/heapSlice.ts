// Slice for the 'wasm' backend reading the input in place on the heap. tfjs-backend-wasm 4.22's Slice
// first copies the WHOLE input out of the heap (backend.readSync), so cutting a dense layer's gradient
// [2*24^3, 224] into its two parts cost ~25 ms a slice (116 slices, 0.29 s per DenseNet121-3D training
// step at 96^3). The copy here touches only the kept elements: runs of the innermost cut axis.
// Layout: any rank, row-major (tfjs).

import { slice_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, heapF32, type WasmBackend } from './wasmHeap.js';

/** Runs shorter than this are copied element by element (cheaper than a subarray view each). */
const SHORT_RUN = 64;

/** x[begin : begin + size] → a new float32 tensor of shape `size`; the caller owns it. */
export function heapSlice(
  backend: WasmBackend,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): TensorInfo {
  const out = allocate(backend, [...size]);
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  if (dst.length === 0) return out;
  const rank = x.shape.length;
  // computeStrides leaves out the last axis (stride 1).
  const strides = [...util.computeStrides(x.shape), 1];
  if (slice_util.isSliceContinous(x.shape, [...begin], [...size])) {
    const from = slice_util.computeFlatOffset([...begin], strides);
    dst.set(src.subarray(from, from + dst.length));
    return out;
  }
  // The innermost axes taken whole (plus the last cut axis) form contiguous runs of `run` elements.
  let axis = rank - 1;
  let run = size[axis]!;
  while (axis > 0 && size[axis] === x.shape[axis] && begin[axis] === 0) {
    axis--;
    run *= size[axis]!;
  }
  const outer = size.slice(0, axis);
  const count = util.sizeFromShape(outer);
  const index = new Array<number>(axis).fill(0);
  const tail = begin[axis]! * strides[axis]!;
  for (let r = 0, to = 0; r < count; r++, to += run) {
    let from = tail;
    for (let a = 0; a < axis; a++) from += (begin[a]! + index[a]!) * strides[a]!;
    if (run < SHORT_RUN) for (let k = 0; k < run; k++) dst[to + k] = src[from + k]!;
    else dst.set(src.subarray(from, from + run), to);
    for (let a = axis - 1; a >= 0; a--) {
      if (++index[a]! < outer[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}
