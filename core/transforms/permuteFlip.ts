// Reorders and reverses the axes of a tensor in one strided copy: the shared kernel behind flip,
// rotate90, orientation and ensureChannelFirst's moveaxis.

import { assert } from '../common/errors.js';
import { checkTensor, numel, stridesOf, type Tensor } from './tensor.js';

/**
 * out = the axes of `t` taken in the order `perm` (output axis d is input axis perm[d], as
 * numpy.transpose(t, perm)), with output axis d reversed where flips[d] is true. Works for any rank
 * and layout (C order in, C order out); returns a new tensor. Throws BAD_ARGUMENT when `perm` is not
 * a permutation of 0..rank-1 or `flips` has the wrong length.
 */
export function permuteFlip(t: Tensor, perm: readonly number[], flips: readonly boolean[]): Tensor {
  checkTensor('permuteFlip', t, 1);
  const rank = t.shape.length;
  assert(
    perm.length === rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i),
    () => `permuteFlip: perm must be a permutation of 0..${rank - 1}, got [${perm.join(', ')}]`,
  );
  assert(flips.length === rank, () => `permuteFlip: flips must have ${rank} entries, got ${flips.length}`);
  const inStrides = stridesOf(t.shape);
  const shape = perm.map((p) => t.shape[p]!);
  // step[d]: how far the source moves when output index d grows by one; start: source of out[0, ..., 0].
  const step = perm.map((p, d) => (flips[d] ? -inStrides[p]! : inStrides[p]!));
  let offset = perm.reduce((acc, p, d) => acc + (flips[d] ? (shape[d]! - 1) * inStrides[p]! : 0), 0);
  const out = new Float32Array(numel(shape));
  const src = t.data;
  const last = rank - 1;
  const n = shape[last]!;
  const st = step[last]!;
  const counter = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o += n) {
    for (let i = 0, p = offset; i < n; i++, p += st) out[o + i] = src[p]!;
    // Advance the outer axes like an odometer.
    for (let d = last - 1; d >= 0; d--) {
      offset += step[d]!;
      if (++counter[d]! < shape[d]!) break;
      offset -= step[d]! * shape[d]!;
      counter[d] = 0;
    }
  }
  return { shape, data: out };
}
