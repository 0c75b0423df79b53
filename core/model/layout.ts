// PyTorch <-> TensorFlow.js weight layouts. PyTorch keeps conv weights as [out, in, kd, kh, kw] and Linear
// weights as [out, in]; tfjs wants [kd, kh, kw, in, out] and [in, out]. Vectors and scalars are the same.

import { VoxlabError } from '../common/errors.js';
import { numel } from './graph.js';

/** Axis order that takes a PyTorch-layout tensor of this rank to tfjs layout (undefined: no change). */
export function torchToTfPerm(rank: number): readonly number[] | undefined {
  if (rank === 5) return [2, 3, 4, 1, 0]; // [out, in, kd, kh, kw] -> [kd, kh, kw, in, out]
  if (rank === 2) return [1, 0]; // [out, in] -> [in, out]
  if (rank <= 1) return undefined;
  throw new VoxlabError('BAD_ARGUMENT', `torchToTfPerm: no tfjs layout known for rank-${rank} weights`);
}

/** The inverse of `torchToTfPerm`: tfjs layout back to PyTorch's. */
export function tfToTorchPerm(rank: number): readonly number[] | undefined {
  if (rank === 5) return [4, 3, 0, 1, 2]; // [kd, kh, kw, in, out] -> [out, in, kd, kh, kw]
  return torchToTfPerm(rank);
}

/** `shape` with its axes taken in `perm` order (output axis a is input axis perm[a]). */
export function permuteShape(shape: readonly number[], perm: readonly number[] | undefined): number[] {
  return perm === undefined ? [...shape] : perm.map((p) => shape[p]!);
}

/**
 * Transposes a C-order array of `shape` so that output axis a is input axis perm[a] (numpy's transpose).
 * Returns a new array; `perm` undefined returns a copy.
 */
export function permute(
  data: Float32Array,
  shape: readonly number[],
  perm: readonly number[] | undefined,
): Float32Array {
  if (data.length !== numel(shape)) {
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `permute: ${data.length} values do not fill shape [${shape.join(', ')}]`,
    );
  }
  if (perm === undefined) return data.slice();
  const rank = shape.length;
  const inStrides = stridesOf(shape);
  const outShape = permuteShape(shape, perm);
  const stepIn = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const out = new Float32Array(data.length);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    // Advance the output odometer (last axis fastest) and move `src` along with it.
    for (let a = rank - 1; a >= 0; a--) {
      index[a]! += 1;
      src += stepIn[a]!;
      if (index[a]! < outShape[a]!) break;
      src -= stepIn[a]! * outShape[a]!;
      index[a] = 0;
    }
  }
  return out;
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let a = shape.length - 2; a >= 0; a--) strides[a] = strides[a + 1]! * shape[a + 1]!;
  return strides;
}
