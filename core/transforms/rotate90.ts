// MONAI's Rotate90 (monai.transforms.Rotate90, 1.3.2): rotate a channel-first tensor by k quarter
// turns in the plane of two spatial axes, exactly as torch.rot90 / numpy.rot90 do.

import { assert } from '../common/errors.js';
import { permuteFlip } from './permuteFlip.js';
import { spatialAxes } from './spatialAxes.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface Rotate90Options {
  /** Number of quarter turns; any integer, taken modulo 4. MONAI default 1. */
  readonly k?: number;
  /** The two spatial axes of the plane (negative counts from the last). MONAI default (0, 1). */
  readonly spatialAxes?: readonly [number, number];
}

/**
 * Rotates [C, ...spatial] (C order, at least 2 spatial axes) by k * 90 degrees from the first axis of
 * `spatialAxes` towards the second, numpy.rot90's direction: for a 2x3 plane [[1, 2, 3], [4, 5, 6]],
 * k = 1 gives [[3, 6], [2, 5], [1, 4]]. With real axes (a, b):
 * k = 1: flip b, then swap a and b; k = 2: flip a and b; k = 3: swap a and b, then flip b.
 * Throws BAD_ARGUMENT for a malformed tensor, a non-integer k, or axes that are not two distinct
 * spatial axes.
 */
export function rotate90(t: Tensor, options: Rotate90Options = {}): Tensor {
  checkTensor('rotate90', t, 3);
  const k = options.k ?? 1;
  assert(Number.isInteger(k), () => `rotate90: k must be an integer, got ${k}`);
  const requested = options.spatialAxes ?? [0, 1];
  assert(
    Array.isArray(requested) && requested.length === 2,
    () => `rotate90: spatialAxes must be 2 axes defining the plane, got ${String(requested)}`,
  );
  const [a, b] = spatialAxes('rotate90', t.shape.length, requested) as [number, number];
  const turns = ((k % 4) + 4) % 4;
  const perm = t.shape.map((_, d) => d);
  const flips = perm.map(() => false);
  if (turns === 2) {
    flips[a] = true;
    flips[b] = true;
  } else if (turns !== 0) {
    perm[a] = b;
    perm[b] = a;
    // The reversed output axis: for k = 1 output axis a (input axis b), for k = 3 output axis b.
    flips[turns === 1 ? a : b] = true;
  }
  return permuteFlip(t, perm, flips);
}
